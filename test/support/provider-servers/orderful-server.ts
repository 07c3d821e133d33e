/**
 * A local stand-in for Orderful's inbound Poller bucket (docs.orderful.com, "Use the Inbound Poller API",
 * "Get Transactions from Poller Bucket", the Delivery API changelog and "Pagination"): transactions wait
 * in the bucket until their delivery is approved (or failed) through POST /v3/deliveries/{id}/approve,
 * which removes them. Each transaction carries `delivery.{href, approve.href, fail.href}` as the docs
 * show; the delivery id is the last path segment of those links.
 *
 * Assumed where the docs are silent or contradict each other: the poller guide shows a bare array with
 * no paging, while "Pagination" puts `metadata.pagination.links.{next,prev}` (nextCursor=/prevCursor=) on
 * list objects — this server answers `{ data, metadata }` by default and a bare array with
 * `bareArray: true`; transaction ids are strings; the bodies of 401, 404, 429 and of approve/fail; the
 * cursor encoding; Retry-After on 429 (rate limiting exists since 2022-09, numbers unpublished).
 */
import * as crypto from 'node:crypto';
import {
  header,
  jsonReply,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

export interface OrderfulTransaction {
  id: string;
  href: string;
  version: string;
  type: { name: string };
  stream: string;
  businessNumber: string;
  sender: { isaId: string; name: string };
  receiver: { isaId: string };
  validationStatus: string;
  deliveryStatus: string;
  acknowledgmentStatus: string;
  createdAt: string;
  lastUpdatedAt: string;
  /** Filled in by the server: links to the Delivery API for this bucket entry. */
  delivery?: { href: string; approve: { href: string }; fail: { href: string } };
  message: { transactionSets: Record<string, unknown>[] };
}

export interface OrderfulPurchaseOrdersOptions {
  startId?: number;
  /** createdAt of the first transaction; later ones follow 1 s apart. */
  startCreatedAt?: string | Date;
  stream?: string;
  senderIsaId?: string;
  senderName?: string;
  receiverIsaId?: string;
}

/**
 * One 850 transaction set in Orderful's camelCase JSON with the content of the X12 sample
 * x12/850-5010.stedi-bootstrap.edi (PO 365465413, two lines, ship-to Wile E Coyote, Phoenix AZ).
 *
 * Names from Orderful's own docs (x12-to-json-conversion, the Purchase Order example, the poller guide):
 * transactionSetHeader{transactionSetIdentifierCode, transactionSetControlNumber},
 * beginningSegmentForPurchaseOrder{transactionSetPurposeCode, purchaseOrderTypeCode, purchaseOrderNumber,
 * date}, referenceInformation{referenceIdentificationQualifier, referenceIdentification}, N1_loop and the
 * start of `par[tyIdentification]`.
 * Names taken from a third-party Orderful integration's schema, not confirmed in Orderful's docs:
 * partyIdentification{entityIdentifierCode, name, identificationCodeQualifier, identificationCode},
 * partyLocation{addressInformation}, geographicLocation{cityName, stateOrProvinceCode, postalCode,
 * countryCode}, PO1_loop, baselineItemData{assignedIdentification, quantity, unitOrBasisForMeasurementCode,
 * unitPrice, productServiceIDQualifier, productServiceID, productServiceIDQualifier1, productServiceID1},
 * PID_loop.productItemDescription{itemDescriptionTypeCode, description}, CTT_loop.transactionTotals
 * {numberOfLineItems}, carrierDetailsRoutingSequenceTransitTime{routing}.
 * Assumed by analogy with the X12 element names: administrativeCommunicationsContact (PER) and its
 * element names, transportationMethodTypeCode (TD504), monetaryAmountInformation{amountQualifierCode,
 * monetaryAmount} (AMT) inside CTT_loop. Values are the X12 element text unchanged ("0008", "400").
 */
export function purchaseOrder850(
  purchaseOrderNumber = '365465413',
  controlNumber = '000000057'
): Record<string, unknown> {
  const line = (
    id: string,
    quantity: string,
    price: string,
    vendorPart: string,
    sku: string,
    description: string
  ) => ({
    baselineItemData: [
      {
        assignedIdentification: id,
        quantity,
        unitOrBasisForMeasurementCode: 'EA',
        unitPrice: price,
        productServiceIDQualifier: 'VC',
        productServiceID: vendorPart,
        productServiceIDQualifier1: 'SK',
        productServiceID1: sku,
      },
    ],
    PID_loop: [{ productItemDescription: [{ itemDescriptionTypeCode: 'F', description }] }],
  });
  return {
    transactionSetHeader: [
      { transactionSetIdentifierCode: '850', transactionSetControlNumber: controlNumber },
    ],
    beginningSegmentForPurchaseOrder: [
      { transactionSetPurposeCode: '00', purchaseOrderTypeCode: 'DS', purchaseOrderNumber, date: '20220830' },
    ],
    referenceInformation: [
      { referenceIdentificationQualifier: 'CO', referenceIdentification: 'ACME-4567' },
      { referenceIdentificationQualifier: 'ZZ', referenceIdentification: 'Thank you for your business' },
    ],
    administrativeCommunicationsContact: [
      {
        contactFunctionCode: 'OC',
        name: 'Marvin Acme',
        communicationNumberQualifier: 'TE',
        communicationNumber: '973-555-1212',
        communicationNumberQualifier1: 'EM',
        communicationNumber1: 'marvin@acme.com',
      },
    ],
    carrierDetailsRoutingSequenceTransitTime: [{ transportationMethodTypeCode: 'ZZ', routing: 'FHD' }],
    N1_loop: [
      {
        partyIdentification: [
          {
            entityIdentifierCode: 'ST',
            name: 'Wile E Coyote',
            identificationCodeQualifier: '92',
            identificationCode: '123',
          },
        ],
        partyLocation: [{ addressInformation: '111 Canyon Court' }],
        geographicLocation: [
          { cityName: 'Phoenix', stateOrProvinceCode: 'AZ', postalCode: '85001', countryCode: 'US' },
        ],
      },
    ],
    PO1_loop: [
      line('item-1', '0008', '400', 'VND1234567', 'ACM/8900-400', '400 pound anvil'),
      line('item-2', '0004', '125', 'VND000111222', 'ACM/1100-001', 'Detonator'),
    ],
    CTT_loop: [
      {
        transactionTotals: [{ numberOfLineItems: '2' }],
        monetaryAmountInformation: [{ amountQualifierCode: 'TT', monetaryAmount: '3700' }],
      },
    ],
  };
}

const ORDERFUL_API = 'https://api.orderful.com';

/** 850 transactions as the Poller bucket returns them; the first carries the sample's PO number exactly. */
export function orderfulPurchaseOrders(
  count: number,
  options: OrderfulPurchaseOrdersOptions = {}
): OrderfulTransaction[] {
  const startId = options.startId ?? 80000001;
  const start = new Date(options.startCreatedAt ?? '2024-01-01T00:00:00Z').getTime();
  return Array.from({ length: count }, (_, i) => {
    const id = String(startId + i);
    const poNumber = i === 0 ? '365465413' : `365465413-${i}`;
    const at = new Date(start + i * 1000).toISOString();
    return {
      id,
      href: `${ORDERFUL_API}/v3/transactions/${id}`,
      version: 'v3',
      type: { name: '850_PURCHASE_ORDER' },
      stream: options.stream ?? 'test',
      businessNumber: poNumber,
      sender: { isaId: options.senderIsaId ?? 'AMERCHANT', name: options.senderName ?? 'Acme Retail' },
      receiver: { isaId: options.receiverIsaId ?? 'ANOTHERMERCH' },
      validationStatus: 'VALID',
      deliveryStatus: 'SENT',
      acknowledgmentStatus: 'NOT_ACKNOWLEDGED',
      createdAt: at,
      lastUpdatedAt: at,
      message: { transactionSets: [purchaseOrder850(poNumber, String(57 + i).padStart(9, '0'))] },
    };
  });
}

export interface OrderfulServerOptions {
  apiKey?: string;
  bucketId?: string;
  transactions?: OrderfulTransaction[] | number;
  /** Answer the bucket as the poller guide shows it: a bare array, no paging. */
  bareArray?: boolean;
}

export interface OrderfulServer {
  url: string;
  apiKey: string;
  bucketId: string;
  requests: RequestLogEntry[];
  /** The bucket: transactions not yet approved or failed. */
  transactions: OrderfulTransaction[];
  /** Transaction ids whose delivery was approved, and failed, in order. */
  approved: string[];
  failed: string[];
  /** The next `count` requests answer 429 with Retry-After (seconds, default 1). */
  inject429(count: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

export async function startOrderfulServer(options: OrderfulServerOptions = {}): Promise<OrderfulServer> {
  const apiKey = options.apiKey ?? 'local-orderful-api-key';
  const bucketId = options.bucketId ?? '12345';
  const transactions = Array.isArray(options.transactions)
    ? options.transactions
    : orderfulPurchaseOrders(options.transactions ?? 0);
  const approved: string[] = [];
  const failed: string[] = [];
  /** delivery id → transaction id, and back; a transaction gets one delivery to this bucket. */
  const deliveries = new Map<string, { transactionId: string; status: 'SENT' | 'APPROVED' | 'FAILED' }>();
  const deliveryOf = new Map<string, string>();
  let injected = 0;
  let injectedRetryAfter = 1;
  let baseUrl = '';

  function withDelivery(transaction: OrderfulTransaction): OrderfulTransaction {
    let deliveryId = deliveryOf.get(transaction.id);
    if (!deliveryId) {
      deliveryId = crypto.randomUUID();
      deliveryOf.set(transaction.id, deliveryId);
      deliveries.set(deliveryId, { transactionId: transaction.id, status: 'SENT' });
    }
    const href = `${baseUrl}/v3/deliveries/${deliveryId}`;
    return {
      ...transaction,
      delivery: { href, approve: { href: `${href}/approve` }, fail: { href: `${href}/fail` } },
    };
  }

  function cursorText(id: string): string {
    return Buffer.from(id).toString('base64');
  }

  function pollBucket(url: URL): Reply {
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? 30 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return jsonReply(400, {
        message: ['limit must be a number between 1 and 100'],
        error: 'Bad Request',
        statusCode: 400,
      });
    }
    if (options.bareArray) return jsonReply(200, transactions.slice(0, limit).map(withDelivery));
    const next = url.searchParams.get('nextCursor');
    const prev = url.searchParams.get('prevCursor');
    let start = 0;
    if (next !== null || prev !== null) {
      const id = Buffer.from(next ?? prev ?? '', 'base64').toString('utf8');
      const at = transactions.findIndex(
        (transaction) => Number(transaction.id) >= Number(id) && transaction.id !== id
      );
      const index = transactions.findIndex((transaction) => transaction.id === id);
      if (next !== null) {
        // The cursor names the last transaction of the previous page; it may have been approved since.
        start = index >= 0 ? index + 1 : at >= 0 ? at : transactions.length;
      } else {
        const end = index >= 0 ? index : at >= 0 ? at : transactions.length;
        start = Math.max(0, end - limit);
      }
    }
    const page = transactions.slice(start, start + limit);
    const links: Record<string, string> = {};
    const self = `${baseUrl}/v3/polling-buckets/${bucketId}`;
    const last = page[page.length - 1];
    const first = page[0];
    if (last && start + page.length < transactions.length) {
      links.next = `${self}?limit=${limit}&nextCursor=${encodeURIComponent(cursorText(last.id))}`;
    }
    if (first && start > 0)
      links.prev = `${self}?limit=${limit}&prevCursor=${encodeURIComponent(cursorText(first.id))}`;
    return jsonReply(200, { data: page.map(withDelivery), metadata: { pagination: { links } } });
  }

  function settle(deliveryId: string, status: 'APPROVED' | 'FAILED'): Reply {
    const delivery = deliveries.get(deliveryId);
    if (!delivery)
      return jsonReply(404, { message: 'Delivery not found', error: 'Not Found', statusCode: 404 });
    if (delivery.status === 'SENT') {
      delivery.status = status;
      (status === 'APPROVED' ? approved : failed).push(delivery.transactionId);
      const index = transactions.findIndex((transaction) => transaction.id === delivery.transactionId);
      if (index >= 0) transactions.splice(index, 1);
    }
    return jsonReply(200, { id: deliveryId, transactionId: delivery.transactionId, status: delivery.status });
  }

  function handle(request: IncomingRequest): Reply {
    if (header(request.headers, 'orderful-api-key') !== apiKey) {
      return jsonReply(401, { message: 'Unauthorized', statusCode: 401 });
    }
    if (injected > 0) {
      injected--;
      return jsonReply(
        429,
        { message: 'Too Many Requests', statusCode: 429 },
        { 'Retry-After': String(injectedRetryAfter) }
      );
    }
    const path = request.url.pathname;
    if (request.method === 'GET' && path === `/v3/polling-buckets/${bucketId}`)
      return pollBucket(request.url);
    const delivery = /^\/v3\/deliver(?:y|ies)\/([^/]+)(?:\/(approve|fail))?$/.exec(path);
    if (delivery?.[1]) {
      const id = delivery[1];
      if (request.method === 'POST' && delivery[2] === 'approve') return settle(id, 'APPROVED');
      if (request.method === 'POST' && delivery[2] === 'fail') return settle(id, 'FAILED');
      const known = deliveries.get(id);
      if (request.method === 'GET' && !delivery[2] && known) {
        return jsonReply(200, { id, transactionId: known.transactionId, status: known.status });
      }
    }
    return jsonReply(404, {
      message: `Cannot ${request.method} ${path}`,
      error: 'Not Found',
      statusCode: 404,
    });
  }

  const server = await serveLocally(handle);
  baseUrl = server.url;
  return {
    url: server.url,
    apiKey,
    bucketId,
    requests: server.requests,
    transactions,
    approved,
    failed,
    inject429(count: number, retryAfterSeconds = 1) {
      injected = count;
      injectedRetryAfter = retryAfterSeconds;
    },
    close: () => server.close(),
  };
}
