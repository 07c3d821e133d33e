import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderConnection, WebhookCheck, WebhookRequest } from '../../ports/provider-plugins';
import { genericJsonDefinition } from './definition';

const signatureHeader = 'X-Openiom-Signature';
const messageTypeHeader = 'X-Openiom-Message-Type';
const deliveryIdHeader = 'X-Openiom-Delivery-Id';
const defaultMessageType = 'order';

const definedTypes = new Set(genericJsonDefinition.messageTypes.map((type) => type.name));

/**
 * Checks a webhook of a user's own system: `X-Openiom-Signature: sha256=<hex HMAC-SHA256 of the raw
 * body keyed with webhookSecret>`, compared in constant time. `X-Openiom-Message-Type` names the
 * message (default `order`); `X-Openiom-Delivery-Id` is required, as it is what tells a retried
 * delivery from a new one.
 */
export function verifyGenericJsonWebhook(
  connection: ProviderConnection,
  request: WebhookRequest
): WebhookCheck {
  const header = (name: string): string | undefined => {
    const value = request.headers.get(name);
    return value === null || value.trim() === '' ? undefined : value.trim();
  };
  const secret = connection.secrets.webhookSecret;
  if (secret === undefined || secret === '') {
    return { ok: false, status: 401, reason: 'no webhookSecret is configured for this instance' };
  }
  const signature = header(signatureHeader);
  if (signature === undefined) {
    return { ok: false, status: 401, reason: `the ${signatureHeader} header is missing` };
  }
  if (!signatureMatches(secret, request.rawBody, signature)) {
    return { ok: false, status: 401, reason: `the ${signatureHeader} signature does not match the body` };
  }
  const deliveryId = header(deliveryIdHeader);
  if (deliveryId === undefined) {
    return { ok: false, status: 400, reason: `missing header: ${deliveryIdHeader}` };
  }
  const messageType = header(messageTypeHeader) ?? defaultMessageType;
  if (!definedTypes.has(messageType)) {
    return { ok: false, status: 400, reason: `message type ${messageType} is not taken by this provider` };
  }
  return { ok: true, messageType, deliveryId };
}

/** `sha256=` then lowercase hex; the hex case is forgiven, anything else is not. */
function signatureMatches(secret: string, body: Buffer, signature: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature);
  if (match === null) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}
