import type { EmailTemplate } from '../domain/email/email-template';
import type { BillQuantity } from '../domain/invoices/invoice';
import type { JourneyInput, JourneyQuery } from '../schemas/journey.schema';
import type { InventoryScheduleInput } from '../domain/inventory/atp/atp-schedule';
import type { SourceInput } from '../domain/fulfillment/source';
import type { SourceListInput } from '../domain/fulfillment/source-list';
import type { StrategyInput } from '../domain/fulfillment/strategy';
import type { ProductInput } from '../domain/products/product';
import type { HoldCheckRequest, HoldListQuery } from '../schemas/inventory-hold.schema';
import type { ScheduleListQuery } from '../schemas/inventory-schedule.schema';
import type { PlanOrderInput, PlanRequest } from './fulfillment-requests';

/*
 * The compiled validators the use cases are given (shared/schemas compiles them; each throws a
 * ValidationError with paths). Route validators take the route parameters as an object, so their
 * issues are reported at `/{parameter}`.
 */

/** Compiled validators (shared/schemas/product.schema.ts) of a product request's parts. */
export interface ProductValidators {
  /** The route parameters, given as `{sku}` so issues are reported at `/sku`. */
  route: (input: unknown) => { sku: string };
  body: (input: unknown) => ProductInput;
}

/** Compiled validators (shared/schemas/source.schema.ts) of a source request's parts. */
export interface SourceValidators {
  /** The route parameters, given as `{sourceId}` so issues are reported at `/sourceId`. */
  route: (input: unknown) => { sourceId: string };
  body: (input: unknown) => SourceInput;
}

/** Compiled validators (shared/schemas/source-list.schema.ts). */
export interface SourceListValidators {
  /** The route parameter, given as `{id}` so issues are reported at `/id`. */
  route: (input: unknown) => { id: string };
  body: (input: unknown) => SourceListInput;
}

/** Compiled validators (shared/schemas/strategy.schema.ts). */
export interface StrategyValidators {
  /** The route parameter, given as `{id}` so issues are reported at `/id`. */
  route: (input: unknown) => { id: string };
  body: (input: unknown) => StrategyInput;
}

/** Compiled validators (shared/schemas/inventory-schedule.schema.ts). */
export interface ScheduleValidators {
  route: (input: unknown) => { id: string };
  body: (input: unknown) => InventoryScheduleInput;
  list: (input: unknown) => ScheduleListQuery;
}

/** Compiled validators (shared/schemas/inventory-hold.schema.ts). */
export interface HoldValidators {
  check: (input: unknown) => HoldCheckRequest;
  list: (input: unknown) => HoldListQuery;
}

export interface PlanRequestValidators {
  plan: (input: unknown) => PlanRequest;
  order: (input: unknown) => PlanOrderInput;
}

/** Compiled validators (shared/schemas/journey.schema.ts) of a journey request's parts. */
export interface JourneyValidators {
  /** The route parameters, given as `{journeyId}` so issues are reported at `/journeyId`. */
  route: (input: unknown) => { journeyId: string };
  body: (input: unknown) => JourneyInput;
  query: (input: unknown) => JourneyQuery;
}

/** Compiled validators (shared/schemas/email.schema.ts). */
export interface EmailValidators {
  /** The route parameter, given as `{id}` so issues are reported at `/id`. */
  route: (input: unknown) => { id: string };
  template: (input: unknown) => EmailTemplate;
  queueEmail: (input: unknown) => QueueEmailInput;
  /** The query, given as `{orderId}` so issues are reported at `/orderId`. */
  outboxQuery: (input: unknown) => { orderId: string };
  /** A message of the `email-delivery` queue. */
  deliveryRef: (input: unknown) => { orderId: string; id: string };
}

/** Compiled validators (shared/schemas/invoice.schema.ts). */
export interface InvoiceValidators {
  createInvoice: (input: unknown) => CreateInvoiceInput;
}

/** What a journey step asks queueEmail to queue. */
export interface QueueEmailInput {
  /** Idempotency key: the same key again queues nothing and answers the stored message. */
  key: string;
  orderId: string;
  templateId: string;
  /** Defaults to `model.order.customer.email`. */
  to?: string;
  model: Record<string, unknown>;
}

/** What a journey step asks createInvoice to bill. */
export interface CreateInvoiceInput {
  /** Idempotency key: the same key again writes nothing and answers the stored invoice. */
  key: string;
  orderId: string;
  fulfillmentOrderId?: string;
  /** The shipment billed, for an invoice per shipment. */
  shipmentId?: string;
  /** Without lines: every order line's quantity not yet billed. */
  lines?: BillQuantity[];
}
