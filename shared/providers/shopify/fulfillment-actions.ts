import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { Shipment } from '../../domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../domain/orders/order';
import type {
  ActionAnswer,
  ActionCall,
  ActionEffect,
  ProviderConnection,
  ProviderHttp,
  ProviderRequest,
} from '../../ports/provider-plugins';
import { idText, inProviderWords, isRecord, jsonAnswer } from '../common/provider-refusal';
import { shopifyDefaultApiVersion } from './definition';

/** Shopify's error body: `{"errors": "text"}`, `{"errors": {"field": ["msg"]}}` or `{"errors": ["msg"]}`. */
export function shopifyErrorMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const errors = body.errors;
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) return errors.map(String).join('; ');
  if (isRecord(errors)) {
    return Object.entries(errors)
      .map(
        ([field, messages]) => `${field}: ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`
      )
      .join('; ');
  }
  return undefined;
}

function adminBase(connection: ProviderConnection): string {
  const shop = String(connection.parameters.shopUrl ?? '').replace(/\/+$/, '');
  const version = String(connection.parameters.apiVersion ?? shopifyDefaultApiVersion);
  return `${shop}/admin/api/${version}`;
}

async function shopifyJson(
  connection: ProviderConnection,
  http: ProviderHttp,
  request: Omit<ProviderRequest, 'url' | 'headers'> & { path: string }
): Promise<unknown> {
  const { path, ...rest } = request;
  const response = await inProviderWords(
    http.request({
      ...rest,
      url: `${adminBase(connection)}/${path}`,
      headers: {
        'X-Shopify-Access-Token': connection.secrets.accessToken ?? '',
        'Content-Type': 'application/json',
      },
    }),
    shopifyErrorMessage
  );
  return jsonAnswer(response.text, 'Shopify');
}

/** The FO's orders that came from this instance (their externalId is the Shopify order id). */
function storeOrders(call: ActionCall): { orders: Order[]; shipment: Shipment } {
  if (call.subject.type !== 'fulfillmentOrder') {
    throw new ProviderCallError(
      `${call.action} runs on fulfillment orders (a fulfillment order journey step).`,
      undefined
    );
  }
  const { fulfillmentOrder: fo, orders } = call.subject;
  const shipment = fo.shipments[fo.shipments.length - 1];
  if (shipment === undefined) {
    throw new ProviderCallError(`Fulfillment order ${fo.id} has no shipment to report yet.`, undefined);
  }
  const ours = orders.filter((order) => order.channel === call.connection.instanceId);
  if (ours.length === 0) {
    throw new ProviderCallError(
      `No order of fulfillment order ${fo.id} came from instance ${call.connection.instanceId}.`,
      undefined
    );
  }
  return { orders: ours, shipment };
}

interface ShopifyFulfillmentOrder {
  id: unknown;
  status?: unknown;
  supported_actions?: unknown;
  line_items?: { id: unknown; line_item_id: unknown; fulfillable_quantity?: unknown }[];
}

/**
 * `createFulfillment`: the shipment of the FO (its last) reported to Shopify with tracking — the
 * order's fulfillment orders are read, the FO's lines matched by line item id, and `POST
 * fulfillments.json` fulfils what is still fulfillable; the fulfillment's id is kept on the FO
 * (system `{instanceId}:{Shopify order id}`). Shopify has no idempotency key for it, so
 * lines with nothing left to fulfil are not sent again: a retry or reprocess posts nothing twice.
 */
export async function createFulfillment(call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  const { orders, shipment } = storeOrders(call);
  const fo = call.subject.type === 'fulfillmentOrder' ? call.subject.fulfillmentOrder : undefined;
  const effects: ActionEffect[] = [];
  const done: string[] = [];
  for (const order of orders) {
    const quantities = new Map(
      (fo?.lines ?? [])
        .filter((line) => line.orderId === order.orderId && line.shipped > 0)
        .map((line) => [line.lineId, line.shipped])
    );
    const listed = (await shopifyJson(call.connection, http, {
      path: `orders/${encodeURIComponent(order.externalId)}/fulfillment_orders.json`,
    })) as { fulfillment_orders?: ShopifyFulfillmentOrder[] };
    const byFulfillmentOrder = (listed.fulfillment_orders ?? [])
      .filter((f) => Array.isArray(f.supported_actions) && f.supported_actions.includes('create_fulfillment'))
      .map((f) => ({
        fulfillment_order_id: f.id,
        fulfillment_order_line_items: (f.line_items ?? []).flatMap((item) => {
          const wanted = quantities.get(String(item.line_item_id));
          const open = Number(item.fulfillable_quantity ?? 0);
          const quantity = Math.min(wanted ?? 0, open);
          return quantity > 0 ? [{ id: item.id, quantity }] : [];
        }),
      }))
      .filter((f) => f.fulfillment_order_line_items.length > 0);
    if (byFulfillmentOrder.length === 0) {
      done.push(`order ${order.externalId}: nothing left to fulfil`);
      continue;
    }
    const created = (await shopifyJson(call.connection, http, {
      method: 'POST',
      path: 'fulfillments.json',
      body: JSON.stringify({
        fulfillment: {
          line_items_by_fulfillment_order: byFulfillmentOrder,
          tracking_info: {
            number: shipment.trackingNumber,
            company: shipment.carrier,
            ...(shipment.url ? { url: shipment.url } : {}),
          },
          notify_customer: false,
        },
      }),
    })) as { fulfillment?: { id?: unknown; status?: unknown } };
    const id = idText(created.fulfillment?.id);
    // Kept on the FO: the store's fulfillment of each order it carries.
    effects.push({
      type: 'externalReference',
      system: `${call.connection.instanceId}:${order.externalId}`,
      id,
    });
    done.push(`order ${order.externalId}: fulfillment ${id}`);
  }
  return { effects, detail: `${shipment.carrier} ${shipment.trackingNumber} → ${done.join(', ')}` };
}

/**
 * `cancelFulfillment`: the Shopify fulfillments carrying the FO's tracking numbers are found on each
 * order (`GET orders/{id}/fulfillments.json`) and cancelled; one already cancelled is left alone.
 */
export async function cancelFulfillment(call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  if (call.subject.type !== 'fulfillmentOrder') {
    throw new ProviderCallError(`${call.action} runs on fulfillment orders.`, undefined);
  }
  const fo = call.subject.fulfillmentOrder;
  const numbers = new Set(fo.shipments.map((s) => s.trackingNumber));
  const orders = call.subject.orders.filter((order) => order.channel === call.connection.instanceId);
  const cancelled: string[] = [];
  for (const order of orders) {
    const listed = (await shopifyJson(call.connection, http, {
      path: `orders/${encodeURIComponent(order.externalId)}/fulfillments.json`,
    })) as {
      fulfillments?: {
        id: unknown;
        status?: unknown;
        tracking_number?: unknown;
        tracking_numbers?: unknown;
      }[];
    };
    for (const fulfillment of listed.fulfillments ?? []) {
      const listedNumbers: unknown[] = Array.isArray(fulfillment.tracking_numbers)
        ? fulfillment.tracking_numbers
        : [];
      const tracking = [fulfillment.tracking_number, ...listedNumbers].map(idText);
      if (fulfillment.status === 'cancelled' || !tracking.some((t) => numbers.has(t))) continue;
      await shopifyJson(call.connection, http, {
        method: 'POST',
        path: `fulfillments/${encodeURIComponent(idText(fulfillment.id))}/cancel.json`,
        body: '{}',
      });
      cancelled.push(idText(fulfillment.id));
    }
  }
  return {
    effects: [],
    detail:
      cancelled.length > 0 ? `cancelled fulfillments ${cancelled.join(', ')}` : 'no fulfillment to cancel',
  };
}
