import { ValidationError } from '../../domain/errors';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { ProviderActionHandler, ProviderConnection } from '../../ports/provider-plugins';
import type { ClientCredentialsTokens } from '../common/oauth-token';
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
import { fedExCall } from './client';

type Json = Record<string, unknown>;

/** The public tracking page of a FedEx tracking number. */
export function fedExTrackingUrl(trackingNumber: string): string {
  return `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(trackingNumber)}`;
}

/** The actions of FedEx, on one token cache. */
export function fedExActions(tokens: ClientCredentialsTokens): Record<string, ProviderActionHandler> {
  /** `POST /rate/v1/rates/quotes`: ACCOUNT and LIST rates of every service (or the one configured). */
  const getRates: ProviderActionHandler = async (call, http) => {
    const { fulfillmentOrder, orders } = fulfillmentOrderOf(call.subject, call.action);
    const { connection } = call;
    const serviceType = optionalText(connection, 'serviceType');
    const body = {
      accountNumber: { value: accountNumber(connection) },
      requestedShipment: {
        shipper: { address: fedExAddress(shipFromOf(connection)) },
        recipient: { address: { ...fedExAddress(shipToOf(fulfillmentOrder, orders)), residential: true } },
        ...(serviceType === undefined ? {} : { serviceType }),
        pickupType: text(connection, 'pickupType', 'DROPOFF_AT_FEDEX_LOCATION'),
        packagingType: text(connection, 'packagingType', 'YOUR_PACKAGING'),
        rateRequestType: ['ACCOUNT', 'LIST'],
        shipDateStamp: shipDate(call.now),
        requestedPackageLineItems: [fedExPackage(parcelOf(connection))],
      },
    };
    const answer = (await fedExCall(tokens, connection, http, call.now, {
      path: '/rate/v1/rates/quotes',
      body,
      transactionId: call.idempotencyKey,
    })) as { output?: { rateReplyDetails?: Json[] } };
    const rates = (answer.output?.rateReplyDetails ?? []).flatMap((detail) =>
      ((detail.ratedShipmentDetails as Json[] | undefined) ?? []).map((rated) => {
        const currency = scalarText(rated.currency);
        return {
          serviceType: scalarText(detail.serviceType),
          serviceName: scalarText(detail.serviceName),
          rateType: scalarText(rated.rateType),
          currency,
          totalNetCharge: costInMinorUnits(rated.totalNetCharge, currency),
        };
      })
    );
    const services = new Set(rates.map((rate) => rate.serviceType)).size;
    return {
      effects: [{ type: 'record', name: 'fedex-rates', data: { rates } }],
      detail: `FedEx: ${services} service${services === 1 ? '' : 's'} quoted.`,
    };
  };

  /**
   * `POST /ship/v1/shipments` with `labelResponseOptions: URL_ONLY`: the FO becomes shipped with the
   * master tracking number; the label is kept as FedEx's URL, never as its bytes. FedEx has no
   * idempotency key: the step run's key goes as `x-customer-transaction-id` and the FO id as the
   * package's customer reference, so a shipment created by a call whose answer was lost can be found.
   */
  const createShipment: ProviderActionHandler = async (call, http) => {
    const { fulfillmentOrder, orders } = fulfillmentOrderOf(call.subject, call.action);
    const { connection } = call;
    const serviceType = optionalText(connection, 'serviceType');
    if (serviceType === undefined) {
      throw new ValidationError('The FedEx instance has no serviceType.', [
        { path: '/parameters/serviceType', message: 'is required to create shipments' },
      ]);
    }
    const from = shipFromOf(connection);
    const to = shipToOf(fulfillmentOrder, orders);
    const body = {
      labelResponseOptions: 'URL_ONLY',
      accountNumber: { value: accountNumber(connection) },
      requestedShipment: {
        shipDatestamp: shipDate(call.now),
        shipper: { contact: fedExContact(from), address: fedExAddress(from) },
        // FedEx asks a recipient phone; orders carry none, so the shipper's stands in.
        recipients: [
          {
            contact: fedExContact({ ...to, phone: to.phone ?? from.phone }),
            address: { ...fedExAddress(to), residential: true },
          },
        ],
        pickupType: text(connection, 'pickupType', 'DROPOFF_AT_FEDEX_LOCATION'),
        serviceType,
        packagingType: text(connection, 'packagingType', 'YOUR_PACKAGING'),
        shippingChargesPayment: { paymentType: 'SENDER' },
        labelSpecification: {
          imageType: text(connection, 'labelImageType', 'PDF'),
          labelStockType: text(connection, 'labelStockType', 'PAPER_85X11_TOP_HALF_LABEL'),
        },
        requestedPackageLineItems: [
          {
            ...fedExPackage(parcelOf(connection)),
            customerReferences: [{ customerReferenceType: 'CUSTOMER_REFERENCE', value: fulfillmentOrder.id }],
          },
        ],
      },
    };
    const answer = (await fedExCall(tokens, connection, http, call.now, {
      path: '/ship/v1/shipments',
      body,
      transactionId: call.idempotencyKey,
    })) as { output?: { transactionShipments?: Json[] } };
    const shipment = answer.output?.transactionShipments?.[0];
    const trackingNumber = shipment?.masterTrackingNumber;
    if (typeof trackingNumber !== 'string' || trackingNumber === '') {
      throw new ProviderCallError('FedEx answered the shipment without a masterTrackingNumber.', 200);
    }
    const labelUrl = labelUrlOf(shipment!);
    return {
      effects: [
        {
          type: 'shipment',
          carrier: 'fedex',
          trackingNumber,
          url: fedExTrackingUrl(trackingNumber),
          ...(labelUrl === undefined ? {} : { labelUrl }),
          raiseShipped: true,
        },
      ],
      detail: `FedEx shipment ${trackingNumber} (${scalarText(shipment!.serviceType, serviceType)}).`,
    };
  };

  return { getRates, createShipment };
}

/** The label's URL: the first package document's (URL_ONLY), else a shipment document's. */
function labelUrlOf(shipment: Json): string | undefined {
  const pieces = (shipment.pieceResponses as Json[] | undefined) ?? [];
  const documents = [
    ...pieces.flatMap((piece) => (piece.packageDocuments as Json[] | undefined) ?? []),
    ...((shipment.shipmentDocuments as Json[] | undefined) ?? []),
  ];
  return documents
    .map((document) => document.url)
    .find((value): value is string => typeof value === 'string');
}

function fedExAddress(address: Address): Json {
  return {
    streetLines: [address.line1, address.line2].filter((line): line is string => Boolean(line)),
    ...(address.city ? { city: address.city } : {}),
    ...(address.state ? { stateOrProvinceCode: address.state } : {}),
    postalCode: address.postalCode,
    countryCode: address.country,
  };
}

function fedExContact(address: Address): Json {
  return {
    ...(address.name ? { personName: address.name } : {}),
    ...(address.company ? { companyName: address.company } : {}),
    ...(address.phone ? { phoneNumber: address.phone } : {}),
    ...(address.email ? { emailAddress: address.email } : {}),
  };
}

/** FedEx weighs in LB or KG and measures in IN or CM. */
function fedExPackage(parcel: Parcel): Json {
  const { weight, dimensions } = parcel;
  const [units, value] =
    weight.unit === 'oz'
      ? ['LB', weight.value / 16]
      : weight.unit === 'g'
        ? ['KG', weight.value / 1000]
        : [weight.unit.toUpperCase(), weight.value];
  return {
    weight: { units, value },
    ...(dimensions === undefined
      ? {}
      : {
          dimensions: {
            length: dimensions.length,
            width: dimensions.width,
            height: dimensions.height,
            units: dimensions.unit.toUpperCase(),
          },
        }),
  };
}

function accountNumber(connection: ProviderConnection): string {
  const value = optionalText(connection, 'accountNumber');
  if (value === undefined) {
    throw new ValidationError('The FedEx instance has no accountNumber.', [
      { path: '/parameters/accountNumber', message: 'is required' },
    ]);
  }
  return value;
}

function optionalText(connection: ProviderConnection, name: string): string | undefined {
  const value = connection.parameters[name];
  return value === undefined || String(value).trim() === '' ? undefined : String(value).trim();
}

function text(connection: ProviderConnection, name: string, fallback: string): string {
  return optionalText(connection, name) ?? fallback;
}
