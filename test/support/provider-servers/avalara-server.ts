/**
 * A local stand-in for Avalara AvaTax REST v2 (the AvaTax JS SDK's AvaTaxClient and models): Basic
 * authentication with accountId:licenseKey, CreateTransaction (`SalesOrder` estimates are not
 * recorded), CreateOrAdjustTransaction (recorded by document code, `commit: true` commits), and
 * VoidTransaction, with AvaTax error bodies `{"error":{"code","message","target","details"}}`.
 * Answers are the SDK's TransactionModel fixture with this request's code, lines and amounts.
 *
 * Assumed where the sources are silent: the tax itself (one flat rate, 8.25 %, rounded per line to
 * cents), the exact 401/404 messages, and that a 503 body is an AvaTax error body too.
 */
import {
  cloneJson,
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

const FIXTURE = 'avalara/createtransaction.response.avatax-js-sdk-fixture.json';
export const avalaraTaxRate = 0.0825;

export interface AvalaraServerOptions {
  accountId?: string;
  licenseKey?: string;
  companyCode?: string;
}

export interface AvalaraTransaction {
  code: string;
  type: string;
  status: string;
  body: Record<string, unknown>;
}

export interface AvalaraServer {
  url: string;
  accountId: string;
  licenseKey: string;
  companyCode: string;
  requests: RequestLogEntry[];
  /** Recorded documents (SalesInvoice and others AvaTax keeps) by code. */
  transactions: Map<string, AvalaraTransaction>;
  faults: InjectedFaults;
  close(): Promise<void>;
}

interface LineModel {
  number?: unknown;
  quantity?: unknown;
  amount?: unknown;
  itemCode?: unknown;
  description?: unknown;
}

export function avalaraError(
  status: number,
  code: string,
  message: string,
  detail: { description?: string; refersTo?: string } = {}
): Reply {
  return jsonReply(status, {
    error: {
      code,
      message,
      target: status === 401 ? 'HttpRequestHeaders' : 'IncorrectData',
      details: [
        {
          code,
          number: status === 401 ? 34 : 5,
          message,
          description: detail.description ?? message,
          faultCode: 'Client',
          helpLink: `http://developer.avalara.com/avatax/errors/${code}`,
          ...(detail.refersTo ? { refersTo: detail.refersTo } : {}),
          severity: 'Error',
        },
      ],
    },
  });
}

/** The `avalara` provider instance that calls this server, shipping from Louisville, KY. */
export function avataxInstanceFor(server: AvalaraServer) {
  return {
    provider: 'avalara',
    active: true,
    parameters: {
      baseUrl: server.url,
      companyCode: server.companyCode,
      shipFromAddress: JSON.stringify({
        line1: '1 Dock Rd',
        city: 'Louisville',
        region: 'KY',
        postalCode: '40202',
        country: 'US',
      }),
    },
    secrets: { accountId: server.accountId, licenseKey: server.licenseKey },
  };
}

const cents = (value: number): number => Math.round(value * 100) / 100;

export async function startAvalaraServer(options: AvalaraServerOptions = {}): Promise<AvalaraServer> {
  const accountId = options.accountId ?? '1100012345';
  const licenseKey = options.licenseKey ?? 'A1B2C3D4E5F6A7B8';
  const companyCode = options.companyCode ?? 'OPENIOM';
  const transactions = new Map<string, AvalaraTransaction>();
  const faults = new InjectedFaults();
  const fixture = JSON.parse(readProviderPayload(FIXTURE)) as Record<string, unknown>;
  const fixtureLine = (fixture.lines as Record<string, unknown>[])[0]!;

  /** The TransactionModel of a CreateTransactionModel: the fixture with this document's lines. */
  function transactionModel(model: Record<string, unknown>, status: string): Record<string, unknown> {
    const lines = (model.lines as LineModel[]).map((line, i) => {
      const amount = Number(line.amount);
      const tax = cents(amount * avalaraTaxRate);
      return {
        ...cloneJson(fixtureLine),
        id: 1052893542 + i,
        lineNumber: scalarText(line.number) || String(i + 1),
        itemCode: scalarText(line.itemCode),
        description: scalarText(line.description),
        quantity: Number(line.quantity ?? 1),
        lineAmount: amount,
        taxableAmount: amount,
        tax,
        taxCalculated: tax,
        details: (fixtureLine.details as Record<string, unknown>[]).map((d) => ({
          ...cloneJson(d),
          rate: avalaraTaxRate,
          tax,
          taxableAmount: amount,
        })),
      };
    });
    const totalAmount = cents(lines.reduce((sum, line) => sum + line.lineAmount, 0));
    const totalTax = cents(lines.reduce((sum, line) => sum + line.tax, 0));
    return {
      ...cloneJson(fixture),
      code: typeof model.code === 'string' && model.code !== '' ? model.code : crypto.randomUUID(),
      type: model.type ?? 'SalesOrder',
      status,
      date: model.date,
      currencyCode: model.currencyCode ?? 'USD',
      customerVendorCode: model.customerCode,
      purchaseOrderNo: model.purchaseOrderNo ?? '',
      totalAmount,
      totalTaxable: totalAmount,
      totalTax,
      totalTaxCalculated: totalTax,
      lines,
    };
  }

  /** What CreateTransactionModel requires: date, customerCode, lines with amounts, an address. */
  function modelError(model: unknown): Reply | undefined {
    if (typeof model !== 'object' || model === null) {
      return avalaraError(400, 'ModelRequiredException', 'A model is required for this object.');
    }
    const m = model as Record<string, unknown>;
    for (const field of ['date', 'customerCode']) {
      if (typeof m[field] !== 'string' || m[field] === '') {
        return avalaraError(400, 'ValueRequiredError', `Field ${field} is required.`, { refersTo: field });
      }
    }
    if (m.companyCode !== undefined && m.companyCode !== companyCode) {
      return avalaraError(400, 'CompanyNotFoundError', `Company ${scalarText(m.companyCode)} not found.`);
    }
    const lines = m.lines;
    if (!Array.isArray(lines) || lines.length === 0) {
      return avalaraError(400, 'ValueRequiredError', 'Field lines is required.', { refersTo: 'lines' });
    }
    if ((lines as LineModel[]).some((line) => typeof line.amount !== 'number')) {
      return avalaraError(400, 'ValueRequiredError', 'Field amount is required.', {
        refersTo: 'lines.amount',
      });
    }
    const addresses = m.addresses as Record<string, unknown> | undefined;
    if (!addresses || (!addresses.singleLocation && !(addresses.shipFrom && addresses.shipTo))) {
      return avalaraError(400, 'AddressRangeError', 'A document must have an address.', {
        refersTo: 'addresses',
      });
    }
    return undefined;
  }

  function handle(request: IncomingRequest): Reply {
    const expected = `Basic ${Buffer.from(`${accountId}:${licenseKey}`).toString('base64')}`;
    if (header(request.headers, 'authorization') !== expected) {
      return avalaraError(401, 'AuthenticationException', 'Authentication failed.', {
        description: 'Missing authentication or unable to authenticate the user or the account.',
      });
    }
    const fault = faults.take();
    if (fault?.kind === 'unavailable') {
      return avalaraError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
    }
    if (fault?.kind === 'refused') return avalaraError(400, 'InvalidAddress', fault.message);
    const path = request.url.pathname;
    if (request.method === 'GET' && path === '/api/v2/utilities/ping') {
      return jsonReply(200, {
        version: '24.1.0',
        authenticated: true,
        authenticationType: 'AccountIdLicenseKey',
      });
    }
    if (request.method !== 'POST') return avalaraError(404, 'NotFound', 'Resource not found.');
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return avalaraError(400, 'JsonFormatError', 'The request body is not JSON.');
    }
    if (path === '/api/v2/transactions/create') {
      const refused = modelError(body);
      if (refused) return refused;
      const model = body as Record<string, unknown>;
      const type = scalarText(model.type) || 'SalesOrder';
      if (type === 'SalesOrder') return jsonReply(201, transactionModel(model, 'Temporary'));
      const code = scalarText(model.code);
      if (transactions.get(code)?.status === 'Committed') {
        return avalaraError(
          400,
          'DocumentCodeConflict',
          `Document code ${code} already exists and is committed.`
        );
      }
      return record(model, type);
    }
    if (path === '/api/v2/transactions/createoradjust') {
      const model = (body as { createTransactionModel?: unknown }).createTransactionModel;
      const refused = modelError(model);
      if (refused) return refused;
      return record(
        model as Record<string, unknown>,
        scalarText((model as { type?: unknown }).type) || 'SalesOrder'
      );
    }
    const voiding = /^\/api\/v2\/companies\/([^/]+)\/transactions\/([^/]+)\/void$/.exec(path);
    if (voiding) {
      const code = decodeURIComponent(voiding[2]!);
      const found = transactions.get(code);
      if (decodeURIComponent(voiding[1]!) !== companyCode || found === undefined) {
        return avalaraError(404, 'EntityNotFoundError', `Transaction ${code} not found.`);
      }
      if ((body as { code?: unknown }).code === undefined) {
        return avalaraError(400, 'ValueRequiredError', 'Field code is required.', { refersTo: 'code' });
      }
      found.status = 'Cancelled';
      found.body = { ...found.body, status: 'Cancelled' };
      return jsonReply(200, found.body);
    }
    return avalaraError(404, 'NotFound', 'Resource not found.');
  }

  function record(model: Record<string, unknown>, type: string): Reply {
    const status = model.commit === true ? 'Committed' : 'Saved';
    const answer = transactionModel(model, status);
    const code = String(answer.code);
    transactions.set(code, { code, type, status, body: answer });
    return jsonReply(201, answer);
  }

  const server = await serveLocally(handle);
  return {
    url: server.url,
    accountId,
    licenseKey,
    companyCode,
    requests: server.requests,
    transactions,
    faults,
    close: () => server.close(),
  };
}
