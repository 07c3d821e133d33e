import { currencyExponent } from '../../domain/providers/minor-units';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import type { Order } from '../../domain/orders/order';
import type { ActionAnswer, ActionCall, ProviderHttp } from '../../ports/provider-plugins';
import { orderOrFulfillmentOrderOf, type OrderOrFulfillmentOrderSubject } from '../common/action-subject';
import { dataAreaId, odata, odataQuery as query, odataString } from './odata';

export const fnoSystem = 'dynamics-fno';

interface SalesLine {
  sequence: number;
  sku: string;
  quantity: number;
  /** Minor units, when the order line has a price. */
  unitPrice?: number;
}

interface SalesOrderPlan {
  /** Ours: the order or FO id, kept in CustomersOrderReference (how a retry finds the order). */
  reference: string;
  customerAccount: string;
  currency: string;
  shipTo: Order['shipTo'];
  shipToName?: string;
  lines: SalesLine[];
}

/** What one sales order in F&O is made of: an order as it is, an FO with its orders' prices. */
function planOf(subject: OrderOrFulfillmentOrderSubject, defaultAccount: string): SalesOrderPlan {
  const orders = subject.type === 'order' ? [subject.order] : subject.orders;
  const first = orders[0];
  if (first === undefined) throw new ProviderCallError('The fulfillment order has no orders.', undefined);
  const priceOf = (orderId: string, lineId: string) =>
    orders.find((o) => o.id === orderId)?.lines.find((l) => l.lineId === lineId)?.unitPrice;
  const lines: Omit<SalesLine, 'sequence'>[] =
    subject.type === 'order'
      ? subject.order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice }))
      : subject.fulfillmentOrder.lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitPrice: priceOf(l.orderId, l.lineId),
        }));
  const customerAccount = first.customer.accountId ?? defaultAccount;
  if (customerAccount === '') {
    throw new ProviderCallError(
      `Order ${first.id} has no customer accountId and the instance has no defaultCustomerAccount.`,
      undefined
    );
  }
  return {
    reference: subject.type === 'order' ? subject.order.id : subject.fulfillmentOrder.id,
    customerAccount,
    currency: first.currency,
    shipTo: subject.type === 'order' ? subject.order.shipTo : subject.fulfillmentOrder.shipTo,
    ...(first.customer.name === undefined ? {} : { shipToName: first.customer.name }),
    lines: lines.map((line, index) => ({ ...line, sequence: index + 1 })),
  };
}

/** Minor units as the decimal amount F&O's price fields take (exact: at most 3 decimals). */
function majorUnits(minor: number, currency: string): number {
  const exponent = currencyExponent(currency);
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

/**
 * `exportSalesOrder`: the order (or fulfillment order) as an F&O sales order, header then lines
 * (`SalesOrderHeadersV2`, `SalesOrderLines`). F&O has no idempotency key, so our id goes into
 * `CustomersOrderReference` and the header is looked up by it first: a retry (or a run that stopped
 * after the header) finds the order and adds only the lines it lacks (by LineCreationSequenceNumber).
 * Answers the F&O sales order number as an external reference.
 */
export async function exportSalesOrder(call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  const { connection } = call;
  const area = dataAreaId(connection);
  const plan = planOf(
    orderOrFulfillmentOrderOf(call.subject, call.action),
    String(connection.parameters.defaultCustomerAccount ?? '')
  );
  const scope = `dataAreaId eq ${odataString(area)}`;

  const found = await odata(connection, http, call.now, {
    pathAndQuery: `/data/SalesOrderHeadersV2?${query({
      $filter: `CustomersOrderReference eq ${odataString(plan.reference)} and ${scope}`,
      $top: '1',
      'cross-company': 'true',
    })}`,
  });
  const existing = (parseJsonLossless(found.text) as { value?: { SalesOrderNumber?: unknown }[] }).value?.[0];
  let number: string;
  let existingSequences = new Set<number>();
  if (existing !== undefined) {
    number = String(existing.SalesOrderNumber);
    const lines = await odata(connection, http, call.now, {
      pathAndQuery: `/data/SalesOrderLines?${query({
        $filter: `SalesOrderNumber eq ${odataString(number)} and ${scope}`,
        $select: 'LineCreationSequenceNumber',
        'cross-company': 'true',
      })}`,
    });
    const value = (parseJsonLossless(lines.text) as { value?: { LineCreationSequenceNumber?: unknown }[] })
      .value;
    existingSequences = new Set((value ?? []).map((line) => Number(line.LineCreationSequenceNumber)));
  } else {
    const created = await odata(connection, http, call.now, {
      method: 'POST',
      pathAndQuery: '/data/SalesOrderHeadersV2',
      body: {
        dataAreaId: area,
        OrderingCustomerAccountNumber: plan.customerAccount,
        InvoiceCustomerAccountNumber: plan.customerAccount,
        CurrencyCode: plan.currency,
        CustomersOrderReference: plan.reference,
        ...(plan.shipToName === undefined ? {} : { DeliveryAddressName: plan.shipToName }),
        DeliveryAddressStreet: [plan.shipTo.line1, plan.shipTo.line2].filter(Boolean).join('\n'),
        DeliveryAddressCity: plan.shipTo.city ?? '',
        DeliveryAddressStateId: plan.shipTo.state ?? '',
        DeliveryAddressZipCode: plan.shipTo.postalCode,
        DeliveryAddressCountryRegionISOCode: plan.shipTo.country,
      },
    });
    const header = parseJsonLossless(created.text) as { SalesOrderNumber?: unknown };
    if (typeof header.SalesOrderNumber !== 'string' || header.SalesOrderNumber === '') {
      throw new ProviderCallError(
        'Finance and Operations created the header without a SalesOrderNumber.',
        created.status
      );
    }
    number = header.SalesOrderNumber;
  }

  const missing = plan.lines.filter((line) => !existingSequences.has(line.sequence));
  for (const line of missing) {
    await odata(connection, http, call.now, {
      method: 'POST',
      pathAndQuery: '/data/SalesOrderLines',
      body: {
        dataAreaId: area,
        SalesOrderNumber: number,
        LineCreationSequenceNumber: line.sequence,
        ItemNumber: line.sku,
        OrderedSalesQuantity: line.quantity,
        ...(line.unitPrice === undefined ? {} : { SalesPrice: majorUnits(line.unitPrice, plan.currency) }),
      },
    });
  }
  const what =
    existing === undefined
      ? `created with ${missing.length} line${missing.length === 1 ? '' : 's'}`
      : missing.length === 0
        ? 'already there'
        : `found, ${missing.length} missing line${missing.length === 1 ? '' : 's'} added`;
  return {
    effects: [{ type: 'externalReference', system: fnoSystem, id: number }],
    detail: `F&O sales order ${number} ${what}`,
  };
}
