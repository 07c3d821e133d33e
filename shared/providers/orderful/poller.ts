import type {
  OrderPoller,
  PolledMessage,
  PolledPage,
  PollPosition,
  ProviderConnection,
  ProviderHttp,
} from '../../ports/provider-plugins';
import { jsonArrayItems } from '../common/json-items';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { orderfulPurchaseOrderType } from './definition';

const defaultApiUrl = 'https://api.orderful.com';

interface BucketTransaction {
  id?: unknown;
  type?: { name?: unknown };
  delivery?: { id?: unknown; href?: unknown };
}

function apiUrl(connection: ProviderConnection): string {
  return String(connection.parameters.apiUrl ?? defaultApiUrl).replace(/\/+$/, '');
}

function headers(connection: ProviderConnection): Record<string, string> {
  return { 'orderful-api-key': connection.secrets.apiKey ?? '' };
}

/**
 * The delivery of a bucket entry: `delivery.id` where given, else the last segment of its links
 * (`/v3/deliveries/{id}`), which is the form the Delivery API documents.
 */
export function orderfulDeliveryId(transaction: BucketTransaction): string | undefined {
  const delivery = transaction.delivery;
  if (delivery === undefined || delivery === null) return undefined;
  if (typeof delivery.id === 'string' && delivery.id !== '') return delivery.id;
  if (typeof delivery.href === 'string') {
    const match = /\/deliveries\/([^/?#]+)/.exec(delivery.href);
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return undefined;
}

/**
 * Orderful's Poller bucket keeps transactions until their delivery is approved, so the bucket is the
 * position: a run reads it page by page (`nextCursor` from `metadata.pagination.links.next`; the
 * poller guide's bare array is one page) and `acknowledge` approves what was queued, which removes
 * it. Transactions of other types are left in the bucket for whoever takes them.
 */
export const orderfulPoller: OrderPoller = {
  async nextPage(
    connection: ProviderConnection,
    position: PollPosition,
    http: ProviderHttp,
    _now: Date
  ): Promise<PolledPage> {
    const bucketId = connection.parameters.bucketId;
    if (bucketId === undefined || bucketId === '') throw new Error('The Orderful bucketId is not set.');
    const query = new URLSearchParams({ limit: String(connection.parameters.limit ?? 100) });
    if (position.cursor !== undefined) query.set('nextCursor', position.cursor);
    const response = await http.request({
      url: `${apiUrl(connection)}/v3/polling-buckets/${encodeURIComponent(String(bucketId))}?${query.toString()}`,
      headers: headers(connection),
    });
    const answer = parseJsonLossless(response.text) as
      unknown[] | { metadata?: { pagination?: { links?: { next?: unknown } } } };
    const texts = Array.isArray(answer)
      ? jsonArrayItems(response.text)
      : jsonArrayItems(response.text, 'data');
    const messages: PolledMessage[] = [];
    for (const text of texts) {
      const transaction = parseJsonLossless(text) as BucketTransaction;
      if (transaction.type?.name !== orderfulPurchaseOrderType) continue;
      // A transaction never changes; a second delivery of it is the same message.
      messages.push({ messageType: orderfulPurchaseOrderType, messageId: String(transaction.id), text });
    }
    const next = Array.isArray(answer) ? undefined : answer.metadata?.pagination?.links?.next;
    const cursor =
      typeof next === 'string'
        ? (new URL(next, 'http://orderful').searchParams.get('nextCursor') ?? undefined)
        : undefined;
    return { messages, position: cursor === undefined || texts.length === 0 ? {} : { cursor } };
  },

  async acknowledge(
    connection: ProviderConnection,
    messages: readonly PolledMessage[],
    http: ProviderHttp
  ): Promise<void> {
    for (const message of messages) {
      const deliveryId = orderfulDeliveryId(parseJsonLossless(message.text) as BucketTransaction);
      if (deliveryId === undefined) continue;
      await http.request({
        method: 'POST',
        url: `${apiUrl(connection)}/v3/deliveries/${encodeURIComponent(deliveryId)}/approve`,
        headers: headers(connection),
      });
    }
  },
};
