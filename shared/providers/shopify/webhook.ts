import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderConnection, WebhookCheck, WebhookRequest } from '../../ports/provider-plugins';
import { shopifyDefinition } from './definition';

/**
 * The headers of one delivery. HTTPS webhooks use the `X-Shopify-` names; "Events" deliveries the
 * lowercase un-prefixed ones (`shopify-hmac-sha256` …), and name the delivery by its event id.
 * Header lookup is case-insensitive, so only the prefix differs.
 */
const webhookHeaders = {
  hmac: 'X-Shopify-Hmac-Sha256',
  topic: 'X-Shopify-Topic',
  domain: 'X-Shopify-Shop-Domain',
  apiVersion: 'X-Shopify-API-Version',
  webhookId: 'X-Shopify-Webhook-Id',
} as const;
const eventHeaders = {
  hmac: 'shopify-hmac-sha256',
  topic: 'shopify-topic',
  domain: 'shopify-shop-domain',
  apiVersion: 'shopify-api-version',
  webhookId: 'shopify-event-id',
} as const;

const takenTopics = new Set(shopifyDefinition.messageTypes.map((type) => type.name));

/**
 * Checks a Shopify webhook: base64 HMAC-SHA256 of the raw body bytes keyed with the app's client
 * secret, compared in constant time, and the five headers Shopify's own SDK requires (hmac, topic,
 * shop domain, API version, webhook id). The topic is the message type; the webhook id, which a
 * retried delivery repeats, is the delivery id.
 */
export function verifyShopifyWebhook(connection: ProviderConnection, request: WebhookRequest): WebhookCheck {
  const names = present(request, webhookHeaders.hmac) ? webhookHeaders : eventHeaders;
  const header = (key: keyof typeof webhookHeaders): string | undefined => {
    const value = request.headers.get(names[key]);
    return value === null || value.trim() === '' ? undefined : value.trim();
  };
  const secret = connection.secrets.webhookSecret;
  if (secret === undefined || secret === '') {
    return { ok: false, status: 401, reason: 'no webhookSecret is configured for this instance' };
  }
  const signature = header('hmac');
  if (signature === undefined) {
    return { ok: false, status: 401, reason: `the ${webhookHeaders.hmac} header is missing` };
  }
  if (!signatureMatches(secret, request.rawBody, signature)) {
    return { ok: false, status: 401, reason: `the ${webhookHeaders.hmac} signature does not match the body` };
  }
  const missing = (['topic', 'domain', 'apiVersion', 'webhookId'] as const)
    .filter((key) => header(key) === undefined)
    .map((key) => names[key]);
  if (missing.length > 0) {
    return {
      ok: false,
      status: 400,
      reason: `missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    };
  }
  const topic = header('topic')!;
  if (!takenTopics.has(topic)) {
    return { ok: false, status: 400, reason: `topic ${topic} is not taken by this provider` };
  }
  return { ok: true, messageType: topic, deliveryId: header('webhookId')! };
}

function present(request: WebhookRequest, name: string): boolean {
  return request.headers.get(name) !== null;
}

/** Compares the base64 texts as sent (Shopify's own check does the same), in constant time. */
function signatureMatches(secret: string, body: Buffer, signature: string): boolean {
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64'));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
