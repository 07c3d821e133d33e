import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderConnection, WebhookCheck, WebhookRequest } from '../../ports/provider-plugins';

/**
 * Checks a callback of a declarative HTTP provider: the header named by `callbackSignatureHeader`
 * holds the HMAC-SHA256 of the raw body keyed with the `callbackSecret` secret, as hex (optionally
 * `sha256=`-prefixed) or base64, compared in constant time. The delivery id is the header named by
 * `callbackDeliveryIdHeader` when the provider sends one, else the body's SHA-256 (a redelivery of
 * the same body is then the same delivery).
 */
export function verifyHttpCallback(
  connection: ProviderConnection,
  request: WebhookRequest,
  messageType: string
): WebhookCheck {
  const secret = connection.secrets.callbackSecret;
  if (secret === undefined || secret === '') {
    return { ok: false, status: 401, reason: 'no callbackSecret is configured for this instance' };
  }
  const headerName = String(connection.parameters.callbackSignatureHeader ?? 'X-Signature');
  const signature = request.headers.get(headerName)?.trim();
  if (signature === undefined || signature === '') {
    return { ok: false, status: 401, reason: `the ${headerName} header is missing` };
  }
  const expected = createHmac('sha256', secret).update(request.rawBody).digest();
  if (!signatureMatches(signature, expected)) {
    return { ok: false, status: 401, reason: `the ${headerName} signature does not match the body` };
  }
  const deliveryHeader = String(connection.parameters.callbackDeliveryIdHeader ?? '');
  const deliveryId =
    deliveryHeader === ''
      ? createHash('sha256').update(request.rawBody).digest('hex')
      : request.headers.get(deliveryHeader)?.trim();
  if (deliveryId === undefined || deliveryId === '') {
    return { ok: false, status: 400, reason: `missing header: ${deliveryHeader}` };
  }
  return { ok: true, messageType, deliveryId };
}

function signatureMatches(signature: string, expected: Buffer): boolean {
  const text = signature.replace(/^sha256=/i, '');
  const given = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
