import type { CreditNote } from '../../domain/invoices/credit-note';
import type { LineQuantities } from '../../domain/returns/order-return';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { Clock } from '../../ports/clock';
import type { BusinessEventPublisher, IdGenerator, OrderRepository } from '../../ports/orders';
import type { JourneyRef, JourneySignals } from '../../ports/journey-signals';
import type { ReturnRepository } from '../../ports/returns';
import type { QueueEmailInput } from '../../ports/validators';
import type {
  CreateReturnRequest,
  ProviderReturnOutput,
  ReturnEventRequest,
} from '../../schemas/return.schema';
import type { CreateCreditNoteInput } from '../invoices/create-credit-note';
import type { ReturnLocationResponse } from '../fulfillment/find-return-location';

/** What the return use cases need. */
export interface ReturnDeps {
  validators: {
    createReturn: (input: unknown) => CreateReturnRequest;
    returnEvent: (input: unknown) => ReturnEventRequest;
    providerReturn: (input: unknown) => ProviderReturnOutput;
  };
  orders: OrderRepository;
  returns: ReturnRepository;
  /** Units shipped per order line, over the order's fulfillment orders. */
  shipped: (orderId: string) => Promise<LineQuantities>;
  /** The return optimizer (`POST /api/v1/returns/locations`). */
  findReturnLocation: (request: unknown) => Promise<ReturnLocationResponse>;
  config: StateFrameworkConfig;
  /** The return journey in force for a new return, if one is published. */
  journeysInForce: { refFor(type: 'return', entityId: string): Promise<JourneyRef | undefined> };
  /** Starts return journeys and tells them the events raised on their return from outside. */
  signals: JourneySignals;
  publisher: BusinessEventPublisher;
  ids: IdGenerator;
  clock: Clock;
  /** A stable digest of a text, for ids derived from idempotency keys. */
  hash: (text: string) => string;
  queueEmail: (input: QueueEmailInput) => Promise<void>;
  createCreditNote: (input: CreateCreditNoteInput) => Promise<CreditNote>;
  /** Adds units to on-hand at a source; idempotent by `id`. `ok: false` with why when refused. */
  restock: (change: {
    id: string;
    sku: string;
    sourceId: string;
    quantity: number;
  }) => Promise<{ ok: boolean; message?: string }>;
}

/** A write that lost a race is read and tried again, this often. */
export const conflictAttempts = 5;
