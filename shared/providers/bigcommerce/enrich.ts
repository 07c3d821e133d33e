import type {
  ProviderConnection,
  ProviderHttp,
  ProviderResponse,
  RetryDelay,
} from '../../ports/provider-plugins';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';

const defaultApiUrl = 'https://api.bigcommerce.com';

/** BigCommerce says when its 30 s quota window resets; it sends no Retry-After. */
export const bigCommerceRetryDelay: RetryDelay = (response: ProviderResponse) => {
  if (response.status !== 429) return undefined;
  const reset = response.headers.get('x-rate-limit-time-reset-ms');
  const ms = reset === null || reset.trim() === '' ? Number.NaN : Number(reset);
  // Without the header a 429 is platform overload: the client's own backoff applies.
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

/**
 * Webhooks carry only the order id: the transformation's input is the order, its products and its
 * shipping addresses as the V2 API gives them, with the hook beside them.
 */
export async function enrichBigCommerceOrder(
  connection: ProviderConnection,
  _messageType: string,
  body: unknown,
  http: ProviderHttp
): Promise<unknown> {
  const hook = body as { data?: { id?: unknown } } | null;
  const sentId = hook?.data?.id;
  if (typeof sentId !== 'string' && typeof sentId !== 'number') {
    throw new Error('The webhook names no order (data.id).');
  }
  const id = String(sentId);
  const base = `${String(connection.parameters.apiUrl ?? defaultApiUrl).replace(/\/+$/, '')}/stores/${encodeURIComponent(
    String(connection.parameters.storeHash)
  )}/v2/orders/${encodeURIComponent(id)}`;
  const get = async (url: string, empty: unknown): Promise<unknown> => {
    const response = await http.request(
      { url, headers: { 'X-Auth-Token': connection.secrets.accessToken ?? '' } },
      bigCommerceRetryDelay
    );
    // Empty collections come back as 204 with no body.
    return response.status === 204 || response.text.trim() === '' ? empty : parseJsonLossless(response.text);
  };
  const order = await get(base, null);
  if (order === null) throw new Error(`BigCommerce answered no order ${id}.`);
  const products = await get(`${base}/products`, []);
  const shippingAddresses = await get(`${base}/shipping_addresses`, []);
  return { order, products, shippingAddresses, hook: body };
}
