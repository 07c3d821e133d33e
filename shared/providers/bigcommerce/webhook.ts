import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderConnection, WebhookCheck, WebhookRequest } from '../../ports/provider-plugins';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { bigCommerceMessageTypes } from './definition';

const defaultWebhookHeader = 'X-Webhook-Secret';

/**
 * BigCommerce's long-standing hooks carry no signature: the secret is a custom header set when the
 * hook is created and echoed on every callback. Newer deliveries follow Standard Webhooks; when one
 * is signed and the client secret is configured, the signature decides. The Standard Webhooks
 * timestamp tolerance is not checked: the port gives no clock, and a replayed delivery repeats its
 * `webhook-id`, which the delivery id dedupes.
 */
export function verifyBigCommerceWebhook(
  connection: ProviderConnection,
  request: WebhookRequest
): WebhookCheck {
  const signature = request.headers.get('webhook-signature');
  const clientSecret = connection.secrets.clientSecret;
  let deliveryId: string | undefined;
  if (signature !== null && clientSecret) {
    const id = request.headers.get('webhook-id');
    const timestamp = request.headers.get('webhook-timestamp');
    if (
      id === null ||
      timestamp === null ||
      !validSignature(clientSecret, id, timestamp, request, signature)
    ) {
      return { ok: false, status: 401, reason: 'The webhook signature does not match.' };
    }
    deliveryId = id;
  } else {
    const name = String(connection.parameters.webhookHeader ?? defaultWebhookHeader);
    const expected = connection.secrets.webhookSecret;
    const sent = request.headers.get(name);
    if (!expected || sent === null || !sameText(sent, expected)) {
      return { ok: false, status: 401, reason: `The ${name} header is missing or wrong.` };
    }
  }

  let body: unknown;
  try {
    body = parseJsonLossless(request.rawBody.toString('utf8'));
  } catch {
    return { ok: false, status: 400, reason: 'The body is not JSON.' };
  }
  const hook = (body ?? {}) as { scope?: unknown; hash?: unknown; data?: { id?: unknown } };
  const scope = hook.scope;
  if (typeof scope !== 'string' || !(bigCommerceMessageTypes as readonly string[]).includes(scope)) {
    return {
      ok: false,
      status: 400,
      reason: `The scope ${JSON.stringify(scope)} is not an order scope we take.`,
    };
  }
  const orderId = hook.data?.id;
  if (orderId === undefined || orderId === null || orderId === '') {
    return { ok: false, status: 400, reason: 'The body names no order (data.id).' };
  }
  // `hash` is the same for a re-fired event; without it, the same bytes are the same delivery.
  deliveryId ??=
    typeof hook.hash === 'string' && hook.hash !== ''
      ? hook.hash
      : createHash('sha256').update(request.rawBody).digest('hex');
  return { ok: true, messageType: scope, deliveryId };
}

/** Standard Webhooks: HMAC-SHA256 of `{id}.{timestamp}.{body}`, base64, any of several `v1,` entries. */
function validSignature(
  secret: string,
  id: string,
  timestamp: string,
  request: WebhookRequest,
  header: string
): boolean {
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), request.rawBody]))
    .digest();
  return header
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => {
      const sent = Buffer.from(entry.slice(3), 'base64');
      return sent.length === expected.length && timingSafeEqual(sent, expected);
    });
}

/** Compares digests so neither the length nor the first differing byte shows in the time taken. */
function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
