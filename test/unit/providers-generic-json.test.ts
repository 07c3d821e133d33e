/**
 * The built-in provider for a user's own system: signed JSON webhooks and a pass-through
 * transformation for bodies that already are our order intake.
 */
import { createHmac } from 'node:crypto';
import type { OrderIntake } from '../../shared/domain/orders/order';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type { ProviderConnection, WebhookRequest } from '../../shared/ports/provider-plugins';
import { genericJsonDefinition } from '../../shared/providers/generic-json/definition';
import { genericJsonPlugin } from '../../shared/providers/generic-json/plugin';
import { verifyGenericJsonWebhook } from '../../shared/providers/generic-json/webhook';
import { orderIntakeSchema } from '../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../shared/schemas/validator';

const validateIntake = compileValidator<OrderIntake>(orderIntakeSchema(500), 'order');

const secret = 'whsec-of-my-erp';
const connection: ProviderConnection = {
  instanceId: 'my-erp',
  parameters: {},
  secrets: { webhookSecret: secret },
};
const body = Buffer.from(
  JSON.stringify({
    externalId: 'PO-1001',
    currency: 'USD',
    customer: { email: 'buyer@example.com' },
    shipTo: { postalCode: '40202', country: 'US' },
    lines: [{ sku: 'ipod-green', quantity: 2, unitPrice: 19900 }],
  })
);
const sign = (raw: Buffer, key = secret) => `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;

function request(headers: Record<string, string>, rawBody: Buffer = body): WebhookRequest {
  return { headers: new Headers(headers), rawBody };
}

describe('generic-json webhook check', () => {
  it('accepts a signed delivery; the message type defaults to order', () => {
    const headers = { 'X-Openiom-Signature': sign(body), 'X-Openiom-Delivery-Id': 'd-1' };
    expect(verifyGenericJsonWebhook(connection, request(headers))).toEqual({
      ok: true,
      messageType: 'order',
      deliveryId: 'd-1',
    });
    expect(
      verifyGenericJsonWebhook(connection, request({ ...headers, 'X-Openiom-Message-Type': 'order' }))
    ).toEqual({ ok: true, messageType: 'order', deliveryId: 'd-1' });
  });

  it('refuses a wrong secret, a missing or malformed signature and an altered body with 401', () => {
    const id = { 'X-Openiom-Delivery-Id': 'd-1' };
    const altered = Buffer.from(body);
    altered[5] = altered[5]! ^ 1;
    for (const check of [
      verifyGenericJsonWebhook(connection, request({ ...id, 'X-Openiom-Signature': sign(body, 'other') })),
      verifyGenericJsonWebhook(connection, request(id)),
      verifyGenericJsonWebhook(
        connection,
        request({ ...id, 'X-Openiom-Signature': sign(body).replace('sha256=', '') })
      ),
      verifyGenericJsonWebhook(connection, request({ ...id, 'X-Openiom-Signature': sign(body) }, altered)),
      verifyGenericJsonWebhook(
        { ...connection, secrets: {} },
        request({ ...id, 'X-Openiom-Signature': sign(body) })
      ),
    ]) {
      expect(check).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('refuses with 400 a delivery without id or of a type it does not define', () => {
    const signature = { 'X-Openiom-Signature': sign(body) };
    expect(verifyGenericJsonWebhook(connection, request(signature))).toEqual({
      ok: false,
      status: 400,
      reason: 'missing header: X-Openiom-Delivery-Id',
    });
    expect(
      verifyGenericJsonWebhook(
        connection,
        request({ ...signature, 'X-Openiom-Delivery-Id': 'd-2', 'X-Openiom-Message-Type': 'invoice' })
      )
    ).toEqual({ ok: false, status: 400, reason: 'message type invoice is not taken by this provider' });
  });
});

describe('generic-json transformation', () => {
  const context = {
    instanceId: 'my-erp',
    parameters: {},
    mappings: [],
    now: new Date('2024-01-01T00:00:00Z'),
  };

  it('passes an intake-shaped body through, its externalId made text', async () => {
    const input = { ...(JSON.parse(body.toString()) as OrderIntake), externalId: 1001 };
    const { output } = await runTransformation(genericJsonDefinition.transformations.order!, input, context);
    expect(validateIntake(output)).toEqual({ ...input, externalId: '1001' });
  });

  it('is a plug-in with a webhook check and no poller, for several systems at once', () => {
    expect(genericJsonPlugin.definition.id).toBe('generic-json');
    expect(genericJsonPlugin.poller).toBeUndefined();
    expect(genericJsonDefinition.allowsMultipleInstances).toBe(true);
    expect(genericJsonDefinition.messageTypes).toEqual([
      expect.objectContaining({ name: 'order', intent: 'upsert' }),
      expect.objectContaining({ name: 'fulfillmentOrderEvent', intent: 'fulfillmentOrderEvent' }),
    ]);
  });
});
