/**
 * A local stand-in for the ShipStation API V1 (docs.shipstation.com, "ShipStation API V1"): Basic
 * auth with the API key and secret, `POST /shipments/getrates`, `POST /shipments/createlabel`,
 * `POST /orders/createorder` (a known `orderKey` updates its order), `GET /shipments` (the list a
 * SHIP_NOTIFY `resource_url` points at), the `X-Rate-Limit-*` headers on every answer and 429 with
 * `X-Rate-Limit-Reset` when the 40-requests minute is spent.
 *
 * Assumed where the docs are silent: error bodies are ASP.NET's `{Message, ExceptionMessage}` (the
 * reference pages show only `{message}`), the 401 and 400 texts, the tracking numbers, the rate
 * amounts, and the shipment list's filters beyond `batchId`, `orderNumber` and paging.
 */
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

export interface ShipStationServerOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Requests per window (ShipStation: 40 a minute per key and secret). */
  quota?: number;
  windowMs?: number;
}

export interface ShipStationServer {
  url: string;
  apiKey: string;
  apiSecret: string;
  requests: RequestLogEntry[];
  orders: Json[];
  shipments: Json[];
  /** 503 for the next N requests, or 400 with an ExceptionMessage until `accept()`. */
  faults: InjectedFaults;
  /** The next `count` requests answer 429 as a spent window does. */
  inject429(count: number, resetSeconds?: number): void;
  /**
   * Labels bought in ShipStation, as one batch, for some of its orders (by orderNumber): the
   * shipments it lists, and the SHIP_NOTIFY body ShipStation posts for the batch.
   */
  shipOrders(
    orderNumbers: string[],
    label?: { carrierCode?: string; serviceCode?: string }
  ): { shipments: Json[]; webhookBody: string };
  /** A batch of one label: `shipOrders` for one order, with the tracking number given or made. */
  shipOrder(
    orderNumber: string,
    label?: { carrierCode?: string; serviceCode?: string; trackingNumber?: string }
  ): { shipment: Json; webhookBody: string };
  close(): Promise<void>;
}

/** The SHIP_NOTIFY body: the published fixture's shape, pointing at this server. */
function shipNotifyBody(url: string, batchId: number): string {
  const published = JSON.parse(
    readProviderPayload('shipstation/webhook-item-ship-notify.workarea-test-fixture.json')
  ) as {
    resource_url: string;
  };
  const resource = new URL(published.resource_url);
  resource.searchParams.set('batchId', String(batchId));
  resource.searchParams.set('includeShipmentItems', 'False');
  return JSON.stringify({
    resource_url: `${url}${resource.pathname}${resource.search}`,
    resource_type: 'SHIP_NOTIFY',
  });
}

export async function startShipStationServer(
  options: ShipStationServerOptions = {}
): Promise<ShipStationServer> {
  const apiKey = options.apiKey ?? 'local-shipstation-key';
  const apiSecret = options.apiSecret ?? 'local-shipstation-secret';
  const quota = options.quota ?? 40;
  const windowMs = options.windowMs ?? 60_000;
  const expectedAuth = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
  const orders: Json[] = [];
  const shipments: Json[] = [];
  let windowStart = Date.now();
  let used = 0;
  const faults = new InjectedFaults();
  let pending429 = 0;
  let reset429: number | undefined;
  let nextId = 1000;
  let baseUrl = '';

  const error = (
    status: number,
    message: string,
    exception: string | undefined,
    headers: Record<string, string>
  ) =>
    jsonReply(
      status,
      { Message: message, ...(exception === undefined ? {} : { ExceptionMessage: exception }) },
      headers
    );

  function trackingNumber(): string {
    return `9400${String(nextId++).padStart(18, '0')}`;
  }

  function newShipment(fields: Json): Json {
    const now = new Date().toISOString();
    const shipment: Json = {
      shipmentId: nextId++,
      orderId: null,
      orderKey: null,
      userId: '123456ab-7cd8-90e1-f2a3-b4567c890d12',
      customerEmail: null,
      orderNumber: null,
      createDate: now,
      shipDate: now.slice(0, 10),
      shipmentCost: 7.35,
      insuranceCost: 0,
      trackingNumber: trackingNumber(),
      isReturnLabel: false,
      batchNumber: null,
      carrierCode: 'stamps_com',
      serviceCode: 'usps_priority_mail',
      packageCode: 'package',
      confirmation: 'none',
      warehouseId: null,
      voided: false,
      voidDate: null,
      marketplaceNotified: false,
      notifyErrorMessage: null,
      shipTo: null,
      weight: null,
      dimensions: null,
      insuranceOptions: null,
      advancedOptions: null,
      shipmentItems: null,
      labelData: null,
      formData: null,
      ...fields,
    };
    shipments.push(shipment);
    return shipment;
  }

  function missing(body: Json, fields: string[]): string | undefined {
    const absent = fields.filter(
      (name) => body[name] === undefined || body[name] === null || body[name] === ''
    );
    return absent.length === 0
      ? undefined
      : `${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} required.`;
  }

  function getRates(body: Json, headers: Record<string, string>): Reply {
    const absent = missing(body, ['carrierCode', 'fromPostalCode', 'toCountry', 'toPostalCode', 'weight']);
    if (absent) return error(400, 'The request is invalid.', absent, headers);
    const services = [
      {
        serviceName: 'USPS Priority Mail - Package',
        serviceCode: 'usps_priority_mail',
        shipmentCost: 7.35,
        otherCost: 0.5,
      },
      {
        serviceName: 'USPS Ground Advantage - Package',
        serviceCode: 'usps_ground_advantage',
        shipmentCost: 5.1,
        otherCost: 0,
      },
    ];
    const only =
      typeof body.serviceCode === 'string'
        ? services.filter((s) => s.serviceCode === body.serviceCode)
        : services;
    return jsonReply(200, only, headers);
  }

  function createLabel(body: Json, headers: Record<string, string>): Reply {
    const absent = missing(body, [
      'carrierCode',
      'serviceCode',
      'packageCode',
      'shipDate',
      'weight',
      'shipFrom',
      'shipTo',
    ]);
    if (absent) return error(400, 'The request is invalid.', absent, headers);
    const shipment = newShipment({
      carrierCode: body.carrierCode,
      serviceCode: body.serviceCode,
      packageCode: body.packageCode,
      confirmation: body.confirmation ?? 'none',
      shipDate: body.shipDate,
      shipTo: body.shipTo,
      weight: body.weight,
      dimensions: body.dimensions ?? null,
    });
    // The answer carries the label as base64 PDF bytes; the list later shows labelData null.
    return jsonReply(
      200,
      { ...shipment, labelData: Buffer.from('%PDF-1.4 local label').toString('base64') },
      headers
    );
  }

  function createOrder(body: Json, headers: Record<string, string>): Reply {
    const absent = missing(body, ['orderNumber', 'orderDate', 'orderStatus', 'billTo', 'shipTo']);
    if (absent) return error(400, 'The request is invalid.', absent, headers);
    if (String(body.orderNumber).length > 50) {
      return error(400, 'The request is invalid.', 'orderNumber may be at most 50 characters.', headers);
    }
    const existing =
      typeof body.orderKey === 'string' ? orders.find((o) => o.orderKey === body.orderKey) : undefined;
    if (existing !== undefined) {
      const updatable = ['awaiting_payment', 'awaiting_shipment', 'on_hold'];
      if (!updatable.includes(String(existing.orderStatus))) {
        return error(
          400,
          'The request is invalid.',
          `Order ${String(existing.orderId)} can no longer be updated.`,
          headers
        );
      }
      // Create/Update is a full replacement of the order.
      for (const key of Object.keys(existing))
        if (key !== 'orderId' && key !== 'createDate') delete existing[key];
      Object.assign(existing, body, { modifyDate: new Date().toISOString() });
      return jsonReply(200, existing, headers);
    }
    const now = new Date().toISOString();
    const order: Json = {
      ...body,
      orderId: nextId++,
      orderKey: typeof body.orderKey === 'string' ? body.orderKey : `key-${nextId}`,
      createDate: now,
      modifyDate: now,
    };
    orders.push(order);
    return jsonReply(200, order, headers);
  }

  function listShipments(url: URL, headers: Record<string, string>): Reply {
    const params = url.searchParams;
    const page = Number(params.get('page') ?? '1');
    const pageSize = Number(params.get('pageSize') ?? '100');
    if (
      !Number.isInteger(page) ||
      page < 1 ||
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > 500
    ) {
      return error(400, 'The request is invalid.', 'page or pageSize is invalid.', headers);
    }
    const batchId = params.get('batchId');
    const orderNumber = params.get('orderNumber');
    const matching = shipments.filter(
      (s) =>
        (batchId === null || String(s.batchNumber) === batchId) &&
        (orderNumber === null || scalarText(s.orderNumber).startsWith(orderNumber))
    );
    const items = params.get('includeShipmentItems')?.toLowerCase() === 'true';
    const slice = matching
      .slice((page - 1) * pageSize, page * pageSize)
      .map((s) => ({ ...s, labelData: null, ...(items ? {} : { shipmentItems: null }) }));
    return jsonReply(
      200,
      {
        shipments: slice,
        total: matching.length,
        page,
        pages: Math.max(1, Math.ceil(matching.length / pageSize)),
      },
      headers
    );
  }

  function handle(request: IncomingRequest): Reply {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      used = 0;
    }
    const resetSeconds = () => Math.ceil(Math.max(0, windowStart + windowMs - now) / 1000);
    const rateHeaders = (): Record<string, string> => ({
      'X-Rate-Limit-Limit': String(quota),
      'X-Rate-Limit-Remaining': String(Math.max(0, quota - used)),
      'X-Rate-Limit-Reset': String(resetSeconds()),
    });
    let body: Json = {};
    if (request.body.trim() !== '') {
      try {
        body = JSON.parse(request.body) as Json;
      } catch {
        return error(400, 'The request is invalid.', 'The body is not JSON.', rateHeaders());
      }
    }
    if (header(request.headers, 'authorization') !== expectedAuth) {
      return error(401, 'Authorization has been denied for this request.', undefined, rateHeaders());
    }
    if (pending429 > 0 || used >= quota) {
      if (pending429 > 0) pending429--;
      return error(429, 'Too many requests', undefined, {
        ...rateHeaders(),
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(reset429 ?? resetSeconds()),
      });
    }
    used++;
    const headers = rateHeaders();
    const fault = faults.take();
    if (fault?.kind === 'unavailable') {
      return {
        status: 503,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Service Unavailable</body></html>',
      };
    }
    if (fault?.kind === 'refused') return error(400, 'The request is invalid.', fault.message, headers);
    const route = `${request.method} ${request.url.pathname}`;
    switch (route) {
      case 'POST /shipments/getrates':
        return getRates(body, headers);
      case 'POST /shipments/createlabel':
        return createLabel(body, headers);
      case 'POST /orders/createorder':
        return createOrder(body, headers);
      case 'GET /shipments':
        return listShipments(request.url, headers);
      default:
        return error(
          404,
          `No HTTP resource was found that matches the request URI '${request.url.pathname}'.`,
          undefined,
          headers
        );
    }
  }

  function shipBatch(
    labels: { orderNumber: string; carrierCode?: string; serviceCode?: string; trackingNumber?: string }[]
  ): { shipments: Json[]; webhookBody: string } {
    const batchId = nextId++;
    const made = labels.map((label) => {
      const order = orders.find((o) => o.orderNumber === label.orderNumber);
      if (order === undefined) throw new Error(`no ShipStation order ${label.orderNumber}`);
      order.orderStatus = 'shipped';
      return newShipment({
        orderId: order.orderId,
        orderKey: order.orderKey,
        orderNumber: label.orderNumber,
        customerEmail: order.customerEmail ?? null,
        batchNumber: String(batchId),
        shipTo: order.shipTo,
        ...(label.carrierCode ? { carrierCode: label.carrierCode } : {}),
        ...(label.serviceCode ? { serviceCode: label.serviceCode } : {}),
        ...(label.trackingNumber ? { trackingNumber: label.trackingNumber } : {}),
      });
    });
    return { shipments: made, webhookBody: shipNotifyBody(baseUrl, batchId) };
  }

  const server = await serveLocally(handle);
  baseUrl = server.url;
  return {
    url: server.url,
    apiKey,
    apiSecret,
    requests: server.requests,
    orders,
    shipments,
    faults,
    inject429(count, resetSeconds) {
      pending429 = count;
      reset429 = resetSeconds;
    },
    shipOrders(orderNumbers, label = {}) {
      return shipBatch(orderNumbers.map((orderNumber) => ({ orderNumber, ...label })));
    },
    shipOrder(orderNumber, label = {}) {
      const {
        shipments: [shipment],
        webhookBody,
      } = shipBatch([{ orderNumber, ...label }]);
      return { shipment: shipment!, webhookBody };
    },
    close: () => server.close(),
  };
}
