import { createHash, timingSafeEqual } from 'node:crypto';
import type { ProviderConnection, WebhookCheck, WebhookRequest } from '../../ports/provider-plugins';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { orderfulPurchaseOrderType } from './definition';

/**
 * Orderful's Inbound HTTP channel signs nothing; it can send Basic credentials, and the password is
 * our secret (the user name is free). A transaction sent again keeps its id, so the id is the
 * delivery id duplicates share.
 */
export function verifyOrderfulWebhook(connection: ProviderConnection, request: WebhookRequest): WebhookCheck {
  const expected = connection.secrets.webhookSecret;
  const password = basicPassword(request.headers.get('authorization'));
  if (!expected || password === undefined || !sameText(password, expected)) {
    return { ok: false, status: 401, reason: 'The Basic credentials are missing or wrong.' };
  }
  let body: unknown;
  try {
    body = parseJsonLossless(request.rawBody.toString('utf8'));
  } catch {
    return { ok: false, status: 400, reason: 'The body is not JSON.' };
  }
  const transaction = (body ?? {}) as { id?: unknown; type?: { name?: unknown } };
  const type = transaction.type?.name;
  if (type !== orderfulPurchaseOrderType) {
    return {
      ok: false,
      status: 400,
      reason: `The transaction type ${JSON.stringify(type)} is not one we take.`,
    };
  }
  const id = transaction.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || id === '') {
    return { ok: false, status: 400, reason: 'The transaction has no id.' };
  }
  return { ok: true, messageType: type, deliveryId: String(id) };
}

function basicPassword(header: string | null): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
