import { createHash, timingSafeEqual } from 'node:crypto';
import type { ProviderConnection, WebhookCheck, WebhookRequest } from '../../ports/provider-plugins';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { shipStationDefaultTokenHeader, shipStationShipmentEvents } from './definition';

/**
 * ShipStation V1 webhooks are not signed and take no custom headers: the instance's `webhookToken`
 * travels in the URL registered with ShipStation (`...?token=...`), or in a header a proxy in front
 * of us adds. The body `{resource_url, resource_type}` has no delivery id; its `resource_url` names
 * the batch of labels, so the body's digest is what a re-sent webhook shares.
 */
export function verifyShipStationWebhook(
  connection: ProviderConnection,
  request: WebhookRequest
): WebhookCheck {
  const expected = connection.secrets.webhookToken;
  const headerName = String(connection.parameters.webhookTokenHeader ?? shipStationDefaultTokenHeader);
  const sent = request.query?.get('token') ?? request.headers.get(headerName);
  if (!expected || sent === null || sent === undefined || !sameText(sent, expected)) {
    return {
      ok: false,
      status: 401,
      reason: `The webhook token (query parameter token or header ${headerName}) is missing or wrong.`,
    };
  }
  let body: unknown;
  try {
    body = parseJsonLossless(request.rawBody.toString('utf8'));
  } catch {
    return { ok: false, status: 400, reason: 'The body is not JSON.' };
  }
  const hook = (body ?? {}) as { resource_url?: unknown; resource_type?: unknown };
  const type = hook.resource_type;
  if (typeof type !== 'string' || !(shipStationShipmentEvents as readonly string[]).includes(type)) {
    return {
      ok: false,
      status: 400,
      reason: `The resource_type ${JSON.stringify(type)} is not one we take (${shipStationShipmentEvents.join(', ')}).`,
    };
  }
  if (typeof hook.resource_url !== 'string' || hook.resource_url === '') {
    return { ok: false, status: 400, reason: 'The body has no resource_url.' };
  }
  return {
    ok: true,
    messageType: type,
    deliveryId: createHash('sha256').update(request.rawBody).digest('hex'),
  };
}

/** Compares digests so neither the length nor the first differing byte shows in the time taken. */
function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
