import type { Container, JSONObject } from '@azure/cosmos';
import {
  wasDelivered,
  type BilledQuantities,
  type Invoice,
  type InvoiceDelivery,
} from '../../domain/invoices/invoice';
import type { Clock } from '../../ports/clock';
import type { BilledState, InvoiceRepository } from '../../ports/invoices';
import { PreconditionFailedError } from '../../domain/errors';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type Stored } from './document-store';

/**
 * What the order's invoices billed so far, one document per order (`billed`). Every new invoice is
 * written in one batch with it, checked against its ETag: two invoices written at once for the same
 * order never both bill the same units.
 */
interface BilledDocument {
  id: typeof billedId;
  type: 'billed';
  orderId: string;
  billed: BilledQuantities;
  createdAt?: string;
  updatedAt?: string;
}

const billedId = 'billed';

/** Invoices in the `orders` container, in their order's partition. */
export class CosmosInvoiceRepository implements InvoiceRepository {
  readonly #invoices: DocumentStore<Invoice>;
  readonly #billed: DocumentStore<BilledDocument>;

  constructor(
    private readonly container: Container,
    clock: Clock
  ) {
    this.#invoices = new DocumentStore<Invoice>(container, '/orderId', clock);
    this.#billed = new DocumentStore<BilledDocument>(container, '/orderId', clock);
  }

  async get(orderId: string, id: string): Promise<Invoice | undefined> {
    const doc = await this.#invoices.read(id, orderId);
    return doc === undefined ? undefined : plain(doc);
  }

  async billed(orderId: string): Promise<BilledState> {
    const doc = await this.#billed.read(billedId, orderId);
    return doc === undefined ? { billed: {} } : { billed: doc.billed, etag: doc._etag };
  }

  async create(
    invoice: Invoice,
    billed: BilledQuantities,
    state: BilledState
  ): Promise<'created' | 'exists' | 'changed'> {
    const billedDoc: BilledDocument = {
      id: billedId,
      type: 'billed',
      orderId: invoice.orderId,
      billed,
      updatedAt: invoice.updatedAt,
    };
    const billedWrite =
      state.etag === undefined
        ? {
            operationType: 'Create' as const,
            resourceBody: asJson({ ...billedDoc, createdAt: invoice.createdAt }),
          }
        : {
            operationType: 'Replace' as const,
            id: billedId,
            ifMatch: state.etag,
            resourceBody: asJson(billedDoc),
          };
    const response = await withCosmosErrors(
      () =>
        this.container.items.batch(
          [{ operationType: 'Create' as const, resourceBody: asJson(invoice) }, billedWrite],
          invoice.orderId
        ),
      { what: 'invoice' }
    );
    const [invoiceStatus, billedStatus] = (response.result ?? []).map((r) => r.statusCode);
    if (invoiceStatus === 409) return 'exists';
    // 412: another invoice replaced the billed quantities; 409: another invoice created them first.
    if (billedStatus === 412 || billedStatus === 409) return 'changed';
    if (isSuccess(invoiceStatus) && isSuccess(billedStatus)) return 'created';
    throw new Error(
      `Storing invoice ${invoice.id} of order ${invoice.orderId} failed with statuses ${invoiceStatus}, ${billedStatus}.`
    );
  }

  async recordDelivery(orderId: string, invoiceId: string, delivery: InvoiceDelivery): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.#invoices.read(invoiceId, orderId);
      if (stored === undefined) throw new Error(`Invoice ${invoiceId} of order ${orderId} does not exist.`);
      if (wasDelivered(stored, delivery.instanceId, delivery.action)) return;
      const invoice = plain(stored);
      try {
        await this.#invoices.replaceIfMatch(
          { ...invoice, deliveries: [...(invoice.deliveries ?? []), delivery] },
          stored._etag
        );
        return;
      } catch (err) {
        // Another delivery of the same invoice was recorded meanwhile: read it again.
        if (!(err instanceof PreconditionFailedError) || attempt === 5) throw err;
      }
    }
  }

  async listByOrder(orderId: string): Promise<Invoice[]> {
    const invoices: Invoice[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#invoices.query(
        "SELECT * FROM c WHERE c.orderId = @orderId AND c.type = 'invoice'",
        { orderId },
        { partitionKey: orderId, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      invoices.push(...page.items.map(plain));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return invoices.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

function asJson(doc: object): JSONObject {
  return JSON.parse(JSON.stringify(doc)) as JSONObject;
}

function plain(doc: Stored<Invoice>): Invoice {
  const { _etag: _e, _ts: _t, ...invoice } = doc;
  return invoice;
}
