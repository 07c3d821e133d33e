import { NotFoundError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { IntakeClaims } from '../../ports/orders';
import type { ProviderPlugins, WebhookRequest } from '../../ports/provider-plugins';
import type { InboundArchive, InboundQueue } from '../../ports/providers';
import { withBody } from './inbound-body';
import { traceFields } from '../../telemetry/tracing';
import { connectionOf, type ProviderSettings } from './provider-settings';

export interface ReceiveWebhookDeps {
  plugins: ProviderPlugins;
  settings: ProviderSettings;
  /** Delivery claims (the intake container's idempotency records). */
  claims: IntakeClaims;
  queue: InboundQueue;
  archive: InboundArchive;
  hash: (text: string) => string;
  clock: Clock;
}

export type WebhookOutcome =
  | { kind: 'accepted'; messageId: string; messageType: string; duplicate: boolean }
  | { kind: 'refused'; status: 400 | 401; reason: string };

/**
 * `POST /api/providers/{instanceId}/webhook`: the instance's provider checks the signature over the
 * raw body (401, nothing stored, when it fails), the body must be JSON, and the delivery is claimed
 * by the provider's delivery id and queued; the answer comes at once, the order after.
 *
 * A duplicate delivery is queued again, as direct intake does with a repeated key: the first one may
 * have failed between its claim and its queue write (the sender retries because it got an error),
 * and the consumer creates each order once, so a duplicate costs a queue write, never an order.
 */
export async function receiveWebhook(
  deps: ReceiveWebhookDeps,
  instanceId: string,
  request: WebhookRequest
): Promise<WebhookOutcome> {
  const instance = await deps.settings.instance(instanceId);
  const plugin = instance && deps.plugins.get(instance.provider);
  if (instance === undefined || !instance.active || plugin === undefined) {
    throw new NotFoundError(`No active provider instance ${instanceId}.`, {
      code: 'provider-instance-not-found',
    });
  }
  if (plugin.verifyWebhook === undefined) {
    throw new NotFoundError(
      `${plugin.definition.name} sends no webhooks; instance ${instanceId} takes none.`,
      {
        code: 'provider-webhook-not-found',
      }
    );
  }
  const check = plugin.verifyWebhook(connectionOf(instance), request);
  if (!check.ok) return { kind: 'refused', status: check.status, reason: check.reason };
  const body = request.rawBody.toString('utf8');
  // Only the shape is checked here, so the native parser does (ids are read losslessly later, from
  // the text as received); it is many times faster than a lossless parse on the request path.
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return { kind: 'refused', status: 400, reason: `The body is not JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'refused', status: 400, reason: 'The body must be a JSON object.' };
  }
  const messageId = check.deliveryId;
  const claim = await deps.claims.claim(`webhook:${instanceId}:${messageId}`, messageId);
  const message = {
    instanceId,
    messageType: check.messageType,
    messageId,
    receivedAt: deps.clock.now().toISOString(),
    via: 'webhook' as const,
    ...traceFields(),
  };
  await deps.queue.send(await withBody(deps.archive, deps.hash, message, body));
  return { kind: 'accepted', messageId, messageType: check.messageType, duplicate: claim.duplicate };
}
