import { fromMinorUnits, roundToMinorUnits } from '../../domain/providers/minor-units';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { Order } from '../../domain/orders/order';
import type {
  ActionAnswer,
  ActionCall,
  ActionEffect,
  ProviderConnection,
  ProviderHttp,
  ProviderResponse,
} from '../../ports/provider-plugins';
import { inProviderWords, isRecord, jsonAnswer } from '../common/provider-refusal';
import { orderOrFulfillmentOrderOf } from '../common/action-subject';
import { avalaraSandboxUrl } from './definition';

/** An AvaTax address (AddressLocationInfo). */
export interface AvalaraAddress {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** One line of CreateTransactionModel: `amount` is the extended amount (quantity × price). */
export interface AvalaraLine {
  number: string;
  quantity: number;
  amount: number;
  itemCode: string;
}

export interface AvalaraTransactionRequest {
  type: 'SalesOrder' | 'SalesInvoice';
  code: string;
  companyCode: string;
  date: string;
  customerCode: string;
  currencyCode: string;
  purchaseOrderNo: string;
  commit: boolean;
  addresses: { shipFrom: AvalaraAddress; shipTo: AvalaraAddress } | { singleLocation: AvalaraAddress };
  lines: AvalaraLine[];
}

/** One document's tax as our lines take it (minor units). */
export interface DocumentTax {
  code: string;
  lines: { lineId: string; tax: number }[];
  totalTax: number;
}

/** The AvaTax document code of an order or FO: Avalara escapes `/ + ? % #` and spaces in paths. */
export function documentCode(connection: ProviderConnection, id: string): string {
  return `${String(connection.parameters.documentCodePrefix ?? '')}${id}`;
}

/** The lines one document covers: all of the order's lines, or the FO's lines of that order. */
interface DocumentScope {
  order: Order;
  code: string;
  lines: { lineId: string; quantity: number }[];
}

function scopesOf(
  connection: ProviderConnection,
  call: Pick<ActionCall, 'subject' | 'action'>
): DocumentScope[] {
  const subject = orderOrFulfillmentOrderOf(call.subject, call.action);
  if (subject.type === 'order') {
    const { order } = subject;
    return [
      {
        order,
        code: documentCode(connection, order.orderId),
        lines: order.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })),
      },
    ];
  }
  const fo = subject.fulfillmentOrder;
  return subject.orders.map((order) => ({
    order,
    // An order split over several FOs is invoiced once per FO: each FO is its own document.
    code: documentCode(connection, subject.orders.length > 1 ? `${fo.id}-${order.orderId}` : fo.id),
    lines: fo.lines
      .filter((line) => line.orderId === order.orderId)
      .map((line) => ({ lineId: line.lineId, quantity: line.quantity - line.cancelled })),
  }));
}

/** The CreateTransactionModel of a document (pure: tested on its own). */
export function transactionRequest(
  connection: ProviderConnection,
  scope: DocumentScope,
  type: 'SalesOrder' | 'SalesInvoice',
  now: Date
): AvalaraTransactionRequest {
  const { order } = scope;
  const prices = new Map(order.lines.map((line) => [line.lineId, line]));
  const shipTo = avalaraAddress(order.shipTo);
  const shipFrom = shipFromOf(connection);
  return {
    type,
    code: scope.code,
    companyCode: String(connection.parameters.companyCode ?? ''),
    date: now.toISOString().slice(0, 10),
    customerCode: order.customer.accountId ?? order.customer.email ?? order.orderId,
    currencyCode: order.currency,
    purchaseOrderNo: order.externalId,
    commit: type === 'SalesInvoice',
    addresses: shipFrom === undefined ? { singleLocation: shipTo } : { shipFrom, shipTo },
    lines: scope.lines
      .filter((line) => line.quantity > 0)
      .map((line) => {
        const ours = prices.get(line.lineId);
        return {
          number: line.lineId,
          quantity: line.quantity,
          amount: fromMinorUnits((ours?.unitPrice ?? 0) * line.quantity, order.currency),
          itemCode: ours?.sku ?? '',
        };
      }),
  };
}

function avalaraAddress(address: Order['shipTo']): AvalaraAddress {
  return {
    ...(address.line1 ? { line1: address.line1 } : {}),
    ...(address.line2 ? { line2: address.line2 } : {}),
    ...(address.city ? { city: address.city } : {}),
    ...(address.state ? { region: address.state } : {}),
    postalCode: address.postalCode,
    country: address.country,
  };
}

function shipFromOf(connection: ProviderConnection): AvalaraAddress | undefined {
  const text = connection.parameters.shipFromAddress;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    throw new ProviderCallError(
      `The shipFromAddress parameter of instance ${connection.instanceId} is not a JSON address object.`,
      undefined
    );
  }
  const address: AvalaraAddress = {};
  for (const field of ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const) {
    const value = parsed[field];
    if (typeof value === 'string') address[field] = value;
  }
  return address;
}

/** A TransactionModel's tax per line and in total, in minor units (pure: tested on its own). */
export function taxOfTransaction(answer: unknown, currency: string, code: string): DocumentTax {
  if (!isRecord(answer) || !Array.isArray(answer.lines)) {
    throw new ProviderCallError('AvaTax answered a transaction without lines.', undefined);
  }
  const lines = answer.lines.filter(isRecord).map((line) => ({
    lineId: String(line.lineNumber),
    tax: roundToMinorUnits(line.tax ?? 0, currency),
  }));
  const totalTax =
    answer.totalTax === undefined
      ? lines.reduce((sum, line) => sum + line.tax, 0)
      : roundToMinorUnits(answer.totalTax, currency);
  return { code: typeof answer.code === 'string' ? answer.code : code, lines, totalTax };
}

/** The one-line message of an AvaTax error body `{"error":{"code","message","details"}}`. */
export function avalaraErrorMessage(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { message, code } = body.error;
  if (typeof message !== 'string') return undefined;
  return typeof code === 'string' ? `${message} (${code})` : message;
}

function baseUrl(connection: ProviderConnection): string {
  return String(connection.parameters.baseUrl ?? avalaraSandboxUrl).replace(/\/+$/, '');
}

function headers(connection: ProviderConnection): Record<string, string> {
  const user = connection.secrets.accountId ?? '';
  const key = connection.secrets.licenseKey ?? '';
  return {
    Authorization: `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`,
    'Content-Type': 'application/json',
    'X-Avalara-Client': 'openiom; 0.1; REST; v2; openiom',
  };
}

async function post(
  call: ActionCall,
  http: ProviderHttp,
  path: string,
  body: unknown
): Promise<ProviderResponse> {
  return inProviderWords(
    http.request({
      method: 'POST',
      url: `${baseUrl(call.connection)}${path}`,
      headers: headers(call.connection),
      body: JSON.stringify(body),
    }),
    avalaraErrorMessage
  );
}

/** `calculateTax`: a SalesOrder (an estimate AvaTax does not record); the tax goes on our lines. */
export async function calculateTax(call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  const [scope] = scopesOf(call.connection, call);
  if (scope === undefined) return { effects: [], detail: 'no order to tax' };
  const request = transactionRequest(call.connection, scope, 'SalesOrder', call.now);
  const response = await post(call, http, '/api/v2/transactions/create', request);
  const tax = taxOfTransaction(jsonAnswer(response.text, 'AvaTax'), scope.order.currency, scope.code);
  return {
    effects: call.subject.type === 'order' ? [lineTaxEffect(tax)] : [],
    detail: `estimated tax ${tax.totalTax} ${scope.order.currency} (SalesOrder ${tax.code})`,
  };
}

/**
 * `commitTax`: the SalesInvoice, committed, through CreateOrAdjust: its document code is stable (our
 * order or FO id), so a retry or a reprocess adjusts the same document instead of failing on it.
 */
export async function commitTax(call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  const taxes: (DocumentTax & { currency: string })[] = [];
  for (const scope of scopesOf(call.connection, call)) {
    const request = transactionRequest(call.connection, scope, 'SalesInvoice', call.now);
    const response = await post(call, http, '/api/v2/transactions/createoradjust', {
      createTransactionModel: request,
      adjustmentReason: 'PriceAdjusted',
      adjustmentDescription: 'Invoice recorded again by openiom',
    });
    const tax = taxOfTransaction(jsonAnswer(response.text, 'AvaTax'), scope.order.currency, scope.code);
    taxes.push({ ...tax, currency: scope.order.currency });
  }
  return {
    effects:
      call.subject.type === 'order'
        ? taxes.map(lineTaxEffect)
        : taxes.map((tax) => ({ type: 'record' as const, name: 'committedTax', data: { ...tax } })),
    detail: taxes.map((t) => `committed ${t.code}: tax ${t.totalTax} ${t.currency}`).join(', '),
  };
}

function lineTaxEffect(tax: DocumentTax): ActionEffect {
  return { type: 'orderLineTax', documentCode: tax.code, lines: tax.lines, totalTax: tax.totalTax };
}

/** `voidTax`: voids each committed document; one AvaTax never recorded (404) has nothing to void. */
export async function voidTax(call: ActionCall, http: ProviderHttp): Promise<ActionAnswer> {
  const company = encodeURIComponent(String(call.connection.parameters.companyCode ?? ''));
  const voided: string[] = [];
  for (const scope of scopesOf(call.connection, call)) {
    try {
      await post(call, http, `/api/v2/companies/${company}/transactions/${escapeCode(scope.code)}/void`, {
        code: 'DocVoided',
      });
      voided.push(scope.code);
    } catch (err) {
      if (!(err instanceof ProviderCallError) || err.status !== 404) throw err;
    }
  }
  return {
    effects: [],
    detail: voided.length > 0 ? `voided ${voided.join(', ')}` : 'no committed document to void',
  };
}

/** A document code in a URL path, escaped as AvaTax asks (`/ + ? % #` and spaces). */
export function escapeCode(code: string): string {
  return code
    .replace(/%/g, '_-ava25-_')
    .replace(/\//g, '_-ava2f-_')
    .replace(/\+/g, '_-ava2b-_')
    .replace(/\?/g, '_-ava3f-_')
    .replace(/#/g, '_-ava23-_')
    .replace(/ /g, '%20');
}
