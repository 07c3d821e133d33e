/**
 * A local stand-in for the FedEx REST APIs (developer.fedex.com): `POST /oauth/token` (client
 * credentials, form-encoded) issuing Bearer tokens that expire, `POST /rate/v1/rates/quotes`,
 * `POST /ship/v1/shipments` and `POST /track/v1/trackingnumbers`. Errors are FedEx's
 * `{transactionId, errors: [{code, message}]}`; answers are cloned from the published samples in
 * provider-payloads/fedex.
 *
 * Assumed where the docs are silent: the exact error codes and texts, the 429 body (FedEx documents
 * no Retry-After), the tracking numbers, the label URL's form and the Track answer's deeper fields
 * (`latestStatusDetail.code` "DL" when delivered, as FedEx's Track samples show).
 */
import * as crypto from 'node:crypto';
import {
  header,
  InjectedFaults,
  jsonReply,
  readProviderPayload,
  scalarText,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

type Json = Record<string, unknown>;

export interface FedExServerOptions {
  clientId?: string;
  clientSecret?: string;
  accountNumber?: string;
  /** Lifetime of issued tokens (FedEx: 3599 s). */
  tokenSeconds?: number;
}

export interface FedExShipmentRecord {
  trackingNumber: string;
  /** FedEx status code of the latest scan: PU picked up, IT in transit, OD out for delivery, DL delivered. */
  status: 'PU' | 'IT' | 'OD' | 'DL';
  request: Json;
}

export interface FedExServer {
  url: string;
  clientId: string;
  clientSecret: string;
  accountNumber: string;
  requests: RequestLogEntry[];
  shipments: FedExShipmentRecord[];
  /** Tokens issued so far. */
  tokensIssued(): number;
  /** Every issued token stops working (FedEx revoked them): the next call answers 401. */
  revokeTokens(): void;
  /** API requests (not the token endpoint): 503 for the next N, or 400 with a message until `accept()`. */
  faults: InjectedFaults;
  inject429(count: number): void;
  /** A shipment FedEx knows (created elsewhere), in the given status. */
  addShipment(trackingNumber: string, status?: FedExShipmentRecord['status']): void;
  deliver(trackingNumber: string): void;
  close(): Promise<void>;
}

function payload(name: string): Json {
  return JSON.parse(readProviderPayload(`fedex/${name}`)) as Json;
}

const statusText: Record<FedExShipmentRecord['status'], string> = {
  PU: 'Picked up',
  IT: 'In transit',
  OD: 'On FedEx vehicle for delivery',
  DL: 'Delivered',
};

export async function startFedExServer(options: FedExServerOptions = {}): Promise<FedExServer> {
  const clientId = options.clientId ?? 'local-fedex-client';
  const clientSecret = options.clientSecret ?? 'local-fedex-secret';
  const accountNumber = options.accountNumber ?? '740561073';
  const tokenSeconds = options.tokenSeconds ?? 3599;
  const tokens = new Map<string, number>();
  const shipments: FedExShipmentRecord[] = [];
  let issued = 0;
  let pending429 = 0;
  const faults = new InjectedFaults();
  let nextTracking = 794_600_000_000;
  let baseUrl = '';

  const fail = (status: number, code: string, message: string, extra: Json = {}): Reply =>
    jsonReply(status, { transactionId: crypto.randomUUID(), errors: [{ code, message, ...extra }] });

  function token(body: string): Reply {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return fail(400, 'INVALID.INPUT.EXCEPTION', 'Invalid field value in the input: grant_type');
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return fail(
        401,
        'NOT.AUTHORIZED.ERROR',
        'The given client credentials were not valid. Please modify your request and try again.'
      );
    }
    const accessToken = `fedex-token-${++issued}-${crypto.randomBytes(8).toString('hex')}`;
    tokens.set(accessToken, Date.now() + tokenSeconds * 1000);
    return jsonReply(200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: tokenSeconds,
      scope: 'CXS-TP',
    });
  }

  function rates(body: Json): Reply {
    const shipment = body.requestedShipment as Json | undefined;
    const problem = missingIn(body, [
      'accountNumber.value',
      'requestedShipment.shipper.address.postalCode',
      'requestedShipment.shipper.address.countryCode',
      'requestedShipment.recipient.address.postalCode',
      'requestedShipment.recipient.address.countryCode',
      'requestedShipment.pickupType',
      'requestedShipment.rateRequestType',
      'requestedShipment.requestedPackageLineItems.0.weight.value',
    ]);
    if (problem) return fail(400, 'INVALID.INPUT.EXCEPTION', `Invalid field value in the input: ${problem}`);
    if ((body.accountNumber as Json).value !== accountNumber) {
      return fail(
        403,
        'ACCOUNT.NUMBER.MISMATCH',
        'When payment Type is SENDER, ShippingChargesPayment Payor AccountNumber should match the shipper account number.'
      );
    }
    const answer = payload('rate-quote.response.TRIMMED.json');
    const output = answer.output as Json;
    const details = output.rateReplyDetails as Json[];
    const wanted = shipment?.serviceType;
    return jsonReply(200, {
      ...answer,
      transactionId: crypto.randomUUID(),
      output: {
        ...output,
        rateReplyDetails:
          typeof wanted === 'string' ? details.map((d) => ({ ...d, serviceType: wanted })) : details,
      },
    });
  }

  function ship(body: Json): Reply {
    const problem = missingIn(body, [
      'labelResponseOptions',
      'accountNumber.value',
      'requestedShipment.shipper.address.postalCode',
      'requestedShipment.recipients.0.address.postalCode',
      'requestedShipment.pickupType',
      'requestedShipment.serviceType',
      'requestedShipment.packagingType',
      'requestedShipment.shippingChargesPayment.paymentType',
      'requestedShipment.labelSpecification.imageType',
      'requestedShipment.labelSpecification.labelStockType',
      'requestedShipment.requestedPackageLineItems.0.weight.value',
    ]);
    if (problem) return fail(400, 'INVALID.INPUT.EXCEPTION', `Invalid field value in the input: ${problem}`);
    const trackingNumber = String(nextTracking++);
    shipments.push({ trackingNumber, status: 'PU', request: body });
    const answer = payload('ship-create-shipment.response.TRIMMED.json');
    const output = answer.output as Json;
    const [published] = output.transactionShipments as Json[];
    const requested = body.requestedShipment as Json;
    const urlOnly = body.labelResponseOptions === 'URL_ONLY';
    return jsonReply(200, {
      ...answer,
      transactionId: crypto.randomUUID(),
      output: {
        ...output,
        transactionShipments: [
          {
            ...published,
            serviceType: requested.serviceType,
            shipDatestamp: requested.shipDatestamp,
            masterTrackingNumber: trackingNumber,
            pieceResponses: [
              {
                masterTrackingNumber: trackingNumber,
                trackingNumber,
                packageDocuments: [
                  urlOnly
                    ? {
                        url: `${baseUrl}/document/v1/labels/${trackingNumber}.pdf`,
                        contentType: 'LABEL',
                        copiesToPrint: 1,
                        docType: 'PDF',
                      }
                    : {
                        encodedLabel: Buffer.from('%PDF-1.4 label').toString('base64'),
                        contentType: 'LABEL',
                        docType: 'PDF',
                      },
                ],
              },
            ],
          },
        ],
      },
    });
  }

  function track(body: Json): Reply {
    const info = body.trackingInfo;
    if (!Array.isArray(info) || info.length === 0) {
      return fail(400, 'TRACKING.TRACKINGNUMBER.EMPTY', 'Please provide tracking number.');
    }
    if (info.length > 30) {
      return fail(400, 'TRACKING.TRACKINGNUMBER.LIMIT', 'Please limit your request to 30 tracking numbers.');
    }
    const completeTrackResults = (info as Json[]).map((entry) => {
      const trackingNumber = scalarText((entry.trackingNumberInfo as Json | undefined)?.trackingNumber);
      const known = shipments.find((s) => s.trackingNumber === trackingNumber);
      if (known === undefined) {
        return {
          trackingNumber,
          trackResults: [
            {
              trackingNumberInfo: { trackingNumber, trackingNumberUniqueId: '', carrierCode: '' },
              error: {
                code: 'TRACKING.TRACKINGNUMBER.NOTFOUND',
                message: 'Tracking number cannot be found. Please correct the tracking number and try again.',
              },
            },
          ],
        };
      }
      const at = new Date().toISOString();
      return {
        trackingNumber,
        trackResults: [
          {
            trackingNumberInfo: {
              trackingNumber,
              trackingNumberUniqueId: `12024~${trackingNumber}~FDEG`,
              carrierCode: 'FDXE',
            },
            latestStatusDetail: {
              code: known.status,
              derivedCode: known.status,
              statusByLocale: statusText[known.status],
              description: statusText[known.status],
            },
            dateAndTimes: known.status === 'DL' ? [{ type: 'ACTUAL_DELIVERY', dateTime: at }] : [],
            scanEvents: [
              {
                date: at,
                eventType: known.status,
                eventDescription: statusText[known.status],
                derivedStatusCode: known.status,
              },
            ],
          },
        ],
      };
    });
    return jsonReply(200, { transactionId: crypto.randomUUID(), output: { completeTrackResults } });
  }

  function handle(request: IncomingRequest): Reply {
    if (request.method === 'POST' && request.url.pathname === '/oauth/token') {
      if (
        !String(header(request.headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')
      ) {
        return fail(415, 'UNSUPPORTED.MEDIA.TYPE', 'The token request must be form-encoded.');
      }
      return token(request.body);
    }
    let body: Json = {};
    try {
      body = JSON.parse(request.body || '{}') as Json;
    } catch {
      return fail(400, 'INVALID.INPUT.EXCEPTION', 'The request body is not JSON.');
    }
    const bearer = /^Bearer (.+)$/i.exec(header(request.headers, 'authorization') ?? '')?.[1];
    const expiresAt = bearer === undefined ? undefined : tokens.get(bearer);
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      return fail(
        401,
        'NOT.AUTHORIZED.ERROR',
        'Access token expired. Please modify your request and try again.'
      );
    }
    if (pending429 > 0) {
      pending429--;
      return fail(
        429,
        'RATE.LIMIT.EXCEEDED',
        'We have received too many requests in a short duration. Please wait a while to try again.'
      );
    }
    const fault = faults.take();
    if (fault?.kind === 'unavailable') {
      return fail(
        503,
        'SERVICE.UNAVAILABLE.ERROR',
        'The service is currently unavailable and we are working to resolve the issue.'
      );
    }
    if (fault?.kind === 'refused') return fail(400, 'INVALID.INPUT.EXCEPTION', fault.message);
    switch (`${request.method} ${request.url.pathname}`) {
      case 'POST /rate/v1/rates/quotes':
        return rates(body);
      case 'POST /ship/v1/shipments':
        return ship(body);
      case 'POST /track/v1/trackingnumbers':
        return track(body);
      default:
        return fail(404, 'NOT.FOUND.ERROR', 'The resource you requested is no longer available.');
    }
  }

  const server = await serveLocally(handle);
  baseUrl = server.url;
  return {
    url: server.url,
    clientId,
    clientSecret,
    accountNumber,
    requests: server.requests,
    shipments,
    tokensIssued: () => issued,
    revokeTokens() {
      tokens.clear();
    },
    faults,
    inject429(count) {
      pending429 = count;
    },
    addShipment(trackingNumber, status = 'IT') {
      shipments.push({ trackingNumber, status, request: {} });
    },
    deliver(trackingNumber) {
      const found = shipments.find((s) => s.trackingNumber === trackingNumber);
      if (found === undefined) throw new Error(`no FedEx shipment ${trackingNumber}`);
      found.status = 'DL';
    },
    close: () => server.close(),
  };
}

/** The first of `paths` (dotted, array indexes as numbers) that is absent or empty in `body`. */
function missingIn(body: Json, paths: string[]): string | undefined {
  return paths.find((path) => {
    let value: unknown = body;
    for (const part of path.split('.')) {
      value = typeof value === 'object' && value !== null ? (value as Json)[part] : undefined;
    }
    return (
      value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
    );
  });
}
