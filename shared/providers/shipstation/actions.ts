import { ValidationError } from '../../domain/errors';
import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../domain/orders/order';
import { currencyExponent } from '../../domain/providers/minor-units';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { ActionCall, ProviderActionHandler, ProviderConnection } from '../../ports/provider-plugins';
import {
  costInMinorUnits,
  fulfillmentOrderOf,
  parcelOf,
  shipDate,
  shipFromOf,
  shipToOf,
  type Address,
  type Parcel,
} from '../common/shipping';
import { scalarText } from '../common/provider-refusal';
import { shipStationBaseUrl, shipStationCall } from './client';

const weightUnits = { lb: 'pounds', oz: 'ounces', g: 'grams' } as const;
const lengthUnits = { in: 'inches', cm: 'centimeters' } as const;

/** `POST /shipments/getrates`: every service's rate of the carrier for the FO's package. */
export const getRates: ProviderActionHandler = async (call, http) => {
  const { fulfillmentOrder, orders } = fulfillmentOrderOf(call.subject, call.action);
  const { connection } = call;
  const from = shipFromOf(connection);
  const to = shipToOf(fulfillmentOrder, orders);
  const carrierCode = required(connection, 'carrierCode');
  const body = {
    carrierCode,
    ...optional(connection, 'serviceCode'),
    ...optional(connection, 'packageCode'),
    fromPostalCode: from.postalCode,
    ...(from.city ? { fromCity: from.city } : {}),
    ...(from.state ? { fromState: from.state } : {}),
    toPostalCode: to.postalCode,
    toCountry: to.country,
    ...(to.state ? { toState: to.state } : {}),
    ...(to.city ? { toCity: to.city } : {}),
    ...shipStationParcel(parcelOf(connection)),
    confirmation: String(connection.parameters.confirmation ?? 'none'),
    residential: true,
  };
  const answer = await shipStationCall(connection, http, {
    method: 'POST',
    url: `${shipStationBaseUrl(connection)}/shipments/getrates`,
    body: JSON.stringify(body),
  });
  const currency = String(connection.parameters.currency ?? 'USD');
  const rates = (Array.isArray(answer) ? answer : []).map((rate: Record<string, unknown>) => ({
    serviceCode: scalarText(rate.serviceCode),
    serviceName: scalarText(rate.serviceName),
    shipmentCost: costInMinorUnits(rate.shipmentCost, currency),
    otherCost: costInMinorUnits(rate.otherCost, currency),
  }));
  const cheapest = [...rates]
    .filter((rate) => rate.shipmentCost !== undefined)
    .sort((a, b) => total(a) - total(b))[0];
  return {
    effects: [{ type: 'record', name: 'shipstation-rates', data: { carrierCode, currency, rates } }],
    detail:
      cheapest === undefined
        ? `ShipStation: no ${carrierCode} rates.`
        : `ShipStation: ${rates.length} ${carrierCode} rates, cheapest ${cheapest.serviceName} ${money(total(cheapest), currency)}.`,
  };
};

/**
 * `POST /shipments/createlabel`: a label for the FO's package; the FO becomes shipped with its
 * tracking number. The label itself (base64 `labelData`) is not kept: it is printed from ShipStation.
 * The V1 API has no idempotency key for labels: an answer lost after ShipStation bought the label
 * leaves a label to void there (the retry after it buys another).
 */
export const createLabel: ProviderActionHandler = async (call, http) => {
  const { fulfillmentOrder, orders } = fulfillmentOrderOf(call.subject, call.action);
  const { connection } = call;
  const carrierCode = required(connection, 'carrierCode');
  const serviceCode = required(connection, 'serviceCode');
  const body = {
    carrierCode,
    serviceCode,
    packageCode: String(connection.parameters.packageCode ?? 'package'),
    confirmation: String(connection.parameters.confirmation ?? 'none'),
    shipDate: shipDate(call.now),
    ...shipStationParcel(parcelOf(connection)),
    shipFrom: shipStationAddress(shipFromOf(connection)),
    shipTo: shipStationAddress(shipToOf(fulfillmentOrder, orders)),
    testLabel: connection.parameters.testLabel === true,
  };
  const label = (await shipStationCall(connection, http, {
    method: 'POST',
    url: `${shipStationBaseUrl(connection)}/shipments/createlabel`,
    body: JSON.stringify(body),
  })) as Record<string, unknown> | null;
  const trackingNumber = label?.trackingNumber;
  if (typeof trackingNumber !== 'string' || trackingNumber === '') {
    throw new ProviderCallError('ShipStation answered the label without a tracking number.', 200);
  }
  const carrier = typeof label?.carrierCode === 'string' ? label.carrierCode : carrierCode;
  const currency = String(connection.parameters.currency ?? 'USD');
  return {
    effects: [
      { type: 'shipment', carrier, trackingNumber, raiseShipped: true },
      {
        type: 'record',
        name: 'shipstation-label',
        data: {
          shipmentId: scalarText(label?.shipmentId),
          carrierCode: carrier,
          serviceCode: scalarText(label?.serviceCode, serviceCode),
          currency,
          shipmentCost: costInMinorUnits(label?.shipmentCost, currency),
          insuranceCost: costInMinorUnits(label?.insuranceCost, currency),
          testLabel: body.testLabel,
        },
      },
    ],
    detail: `ShipStation label ${trackingNumber} (${carrier} ${scalarText(label?.serviceCode, serviceCode)}).`,
  };
};

/**
 * `POST /orders/createorder` with `orderKey` = the step run's idempotency key: ShipStation updates
 * the order of a known key, so a retry of the run replaces the order instead of adding one. The
 * FO's id is the `orderNumber`, which SHIP_NOTIFY shipments carry back.
 */
export const createOrder: ProviderActionHandler = async (call, http) => {
  const { fulfillmentOrder, orders } = fulfillmentOrderOf(call.subject, call.action);
  const { connection } = call;
  const body = shipStationOrder(call, fulfillmentOrder, orders);
  const created = (await shipStationCall(connection, http, {
    method: 'POST',
    url: `${shipStationBaseUrl(connection)}/orders/createorder`,
    body: JSON.stringify(body),
  })) as Record<string, unknown> | null;
  const orderId = scalarText(created?.orderId);
  if (orderId === '') {
    throw new ProviderCallError('ShipStation answered the order without an orderId.', 200);
  }
  return {
    effects: [{ type: 'externalReference', system: 'shipstation', id: orderId }],
    detail: `ShipStation order ${orderId} (${fulfillmentOrder.id}).`,
  };
};

export const shipStationActions: Readonly<Record<string, ProviderActionHandler>> = {
  getRates,
  createLabel,
  createOrder,
};

/** The ShipStation order of a fulfillment order (the Create/Update Order model). */
export function shipStationOrder(
  call: Pick<ActionCall, 'connection' | 'idempotencyKey' | 'now'>,
  fulfillmentOrder: FulfillmentOrder,
  orders: readonly Order[]
): Record<string, unknown> {
  const shipTo = shipToOf(fulfillmentOrder, orders);
  const byId = new Map(orders.map((order) => [order.orderId, order]));
  const first = byId.get(fulfillmentOrder.orderIds[0] ?? '') ?? orders[0];
  const currency = first?.currency ?? String(call.connection.parameters.currency ?? 'USD');
  const storeId = call.connection.parameters.storeId;
  return {
    orderNumber: fulfillmentOrder.id,
    orderKey: call.idempotencyKey,
    orderDate: first?.createdAt ?? call.now.toISOString(),
    orderStatus: 'awaiting_shipment',
    ...(shipTo.email ? { customerEmail: shipTo.email } : {}),
    // Orders keep no billing address: ShipStation asks a billTo, named after the customer.
    billTo: { name: shipTo.name ?? shipTo.email ?? fulfillmentOrder.id },
    shipTo: shipStationAddress(shipTo),
    items: fulfillmentOrder.lines.map((line) => {
      const unitPrice = byId.get(line.orderId)?.lines.find((l) => l.lineId === line.lineId)?.unitPrice;
      return {
        lineItemKey: line.id,
        sku: line.sku,
        name: line.sku,
        quantity: line.quantity,
        ...(unitPrice === undefined ? {} : { unitPrice: fromMinorUnits(unitPrice, currency) }),
      };
    }),
    advancedOptions: {
      ...(typeof storeId === 'number' ? { storeId } : {}),
      customField1: fulfillmentOrder.orderIds.join(' '),
    },
  };
}

function shipStationAddress(address: Address): Record<string, unknown> {
  return {
    name: address.name ?? address.company ?? '',
    ...(address.company ? { company: address.company } : {}),
    street1: address.line1 ?? '',
    ...(address.line2 ? { street2: address.line2 } : {}),
    city: address.city ?? '',
    state: address.state ?? '',
    postalCode: address.postalCode,
    country: address.country,
    ...(address.phone ? { phone: address.phone } : {}),
  };
}

function shipStationParcel(parcel: Parcel): Record<string, unknown> {
  const { weight, dimensions } = parcel;
  // ShipStation has no kilograms.
  const units = weight.unit === 'kg' ? weightUnits.g : weightUnits[weight.unit];
  return {
    weight: { value: weight.unit === 'kg' ? weight.value * 1000 : weight.value, units },
    ...(dimensions === undefined
      ? {}
      : {
          dimensions: {
            units: lengthUnits[dimensions.unit],
            length: dimensions.length,
            width: dimensions.width,
            height: dimensions.height,
          },
        }),
  };
}

function required(connection: ProviderConnection, name: string): string {
  const value = connection.parameters[name];
  if (value === undefined || String(value).trim() === '') {
    throw new ValidationError(`The ShipStation instance has no ${name}.`, [
      { path: `/parameters/${name}`, message: 'is required for this action' },
    ]);
  }
  return String(value).trim();
}

function optional(connection: ProviderConnection, name: string): Record<string, string> {
  const value = connection.parameters[name];
  return value === undefined || String(value).trim() === '' ? {} : { [name]: String(value).trim() };
}

/** Minor units as the decimal number ShipStation's order model takes. */
function fromMinorUnits(minor: number, currency: string): number {
  const exponent = currencyExponent(currency);
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

function total(rate: { shipmentCost?: number; otherCost?: number }): number {
  return (rate.shipmentCost ?? 0) + (rate.otherCost ?? 0);
}

function money(minor: number, currency: string): string {
  return `${fromMinorUnits(minor, currency).toFixed(currencyExponent(currency))} ${currency}`;
}
