import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type {
  ActionAnswer,
  ActionCall,
  ActionEffect,
  ProviderConnection,
  ProviderHttp,
} from '../../ports/provider-plugins';
import { idText, inProviderWords, isRecord, jsonAnswer } from '../common/provider-refusal';
import { bigCommerceRetryDelay } from './enrich';

const defaultApiUrl = 'https://api.bigcommerce.com';

/** BigCommerce's error bodies: V2 `[{"status","message"}]`, V3 `{"status","title","errors"}`. */
export function bigCommerceErrorMessage(body: unknown): string | undefined {
  if (Array.isArray(body)) {
    const messages = body
      .filter(isRecord)
      .map((e) => e.message)
      .filter((m) => typeof m === 'string');
    return messages.length > 0 ? messages.join('; ') : undefined;
  }
  if (isRecord(body) && typeof body.title === 'string') return body.title;
  return undefined;
}

function ordersBase(connection: ProviderConnection): string {
  const api = String(connection.parameters.apiUrl ?? defaultApiUrl).replace(/\/+$/, '');
  return `${api}/stores/${encodeURIComponent(String(connection.parameters.storeHash))}/v2/orders`;
}

async function call(
  connection: ProviderConnection,
  http: ProviderHttp,
  url: string,
  body?: unknown
): Promise<unknown> {
  const response = await inProviderWords(
    http.request(
      {
        method: body === undefined ? 'GET' : 'POST',
        url,
        headers: { 'X-Auth-Token': connection.secrets.accessToken ?? '', 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      bigCommerceRetryDelay
    ),
    bigCommerceErrorMessage
  );
  // Empty collections come back as 204 with no body.
  return response.status === 204 || response.text.trim() === ''
    ? []
    : jsonAnswer(response.text, 'BigCommerce');
}

/**
 * `createShipment`: the FO's shipment (its last) as a BigCommerce shipment of each order of this
 * instance — items by order product id (our line id), the first shipping address, the tracking
 * number and link. BigCommerce has no idempotency key, so a shipment with the same tracking number
 * already on the order is not posted again.
 */
export async function createShipment(action: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  const { connection, subject } = action;
  if (subject.type !== 'fulfillmentOrder') {
    throw new ProviderCallError(
      'createShipment runs on fulfillment orders (a fulfillment order journey step).',
      undefined
    );
  }
  const fo = subject.fulfillmentOrder;
  const shipment = fo.shipments[fo.shipments.length - 1];
  if (shipment === undefined) {
    throw new ProviderCallError(`Fulfillment order ${fo.id} has no shipment to report yet.`, undefined);
  }
  const orders = subject.orders.filter((order) => order.channel === connection.instanceId);
  if (orders.length === 0) {
    throw new ProviderCallError(
      `No order of fulfillment order ${fo.id} came from instance ${connection.instanceId}.`,
      undefined
    );
  }
  const effects: ActionEffect[] = [];
  const done: string[] = [];
  for (const order of orders) {
    const base = `${ordersBase(connection)}/${encodeURIComponent(order.externalId)}`;
    const existing = (await call(connection, http, `${base}/shipments`)) as {
      id?: unknown;
      tracking_number?: unknown;
    }[];
    const already = Array.isArray(existing)
      ? existing.find((s) => idText(s.tracking_number) === shipment.trackingNumber)
      : undefined;
    if (already !== undefined) {
      done.push(`order ${order.externalId}: shipment ${idText(already.id)} already there`);
      continue;
    }
    const addresses = (await call(connection, http, `${base}/shipping_addresses`)) as { id?: unknown }[];
    const addressId = Array.isArray(addresses) ? addresses[0]?.id : undefined;
    if (addressId === undefined) {
      throw new ProviderCallError(
        `BigCommerce order ${order.externalId} has no shipping address to ship to.`,
        undefined
      );
    }
    const items = fo.lines
      .filter((line) => line.orderId === order.orderId && line.shipped > 0)
      .map((line) => ({ order_product_id: Number(line.lineId), quantity: line.shipped }));
    const created = (await call(connection, http, `${base}/shipments`, {
      order_address_id: addressId,
      tracking_number: shipment.trackingNumber.slice(0, 50),
      shipping_provider: '',
      tracking_carrier: shipment.carrier.toLowerCase(),
      ...(shipment.url ? { tracking_link: shipment.url.slice(0, 500) } : {}),
      items,
    })) as { id?: unknown };
    // Kept on the FO: the store's shipment of each order it carries.
    effects.push({
      type: 'externalReference',
      system: `${connection.instanceId}:${order.externalId}`,
      id: idText(created.id),
    });
    done.push(`order ${order.externalId}: shipment ${idText(created.id)}`);
  }
  return { effects, detail: `${shipment.carrier} ${shipment.trackingNumber} → ${done.join(', ')}` };
}
