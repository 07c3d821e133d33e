import type { JourneyRef } from '../journeys/journey-signal';
import { ValidationError, type ValidationIssue } from '../errors';

/** What a client sends to create an order (`POST /api/v1/orders`, docs/api.md). Money in minor units. */
export interface OrderIntake {
  externalId: string;
  channel?: string;
  currency: string;
  customer: { email?: string; name?: string; accountId?: string };
  shipTo: {
    line1?: string;
    line2?: string;
    city?: string;
    state?: string;
    postalCode: string;
    country: string;
    lat?: number;
    lon?: number;
  };
  lines: { lineId?: string; sku: string; quantity: number; unitPrice?: number }[];
}

export interface OrderLine {
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice?: number;
  /** Tax on the line in minor units, as the tax provider calculated it (see Order.taxDocument). */
  tax?: number;
  state: string;
  stateReason?: string;
}

/** The tax provider's document the lines' `tax` comes from. */
export interface TaxDocument {
  /** The provider instance that calculated it. */
  instanceId: string;
  /** The document's code at the provider. */
  code: string;
  /** Minor units. */
  totalTax: number;
  at: string;
}

/** An id in another system (a 3PL's order id, an ERP's sales order number), on an order or an FO. */
export interface ExternalReference {
  system: string;
  id: string;
}

/** The references with `reference` in place of the one of its system (one per system). */
export function withExternalReference(
  references: readonly ExternalReference[] | undefined,
  reference: ExternalReference
): ExternalReference[] {
  return [...(references ?? []).filter((r) => r.system !== reference.system), reference];
}

export interface Order {
  id: string;
  type: 'order';
  orderId: string;
  externalId: string;
  channel: string;
  currency: string;
  customer: OrderIntake['customer'];
  shipTo: OrderIntake['shipTo'];
  lines: OrderLine[];
  state: string;
  stateReason?: string;
  taxDocument?: TaxDocument;
  externalReferences?: ExternalReference[];
  /** The Idempotency-Key the order was accepted under. */
  intakeKey: string;
  /**
   * The intake-archive record holding the body as received: the order's own, or that of the group it
   * was queued in. Absent when the body was archived at intake (too large to queue): then it is the
   * order's own record, `{orderId}.json`.
   */
  intakeArchive?: string;
  /** The order journey it runs on, chosen when the order was created (absent: none was published). */
  journey?: JourneyRef;
  /** The trace of the order's intake, its journey steps and provider calls (docs/telemetry.md). */
  traceId?: string;
  createdAt: string;
  updatedAt: string;
}

/** The state an order and its lines have before any business event moved them. */
export const initialState = 'new';
export const defaultChannel = 'direct';

/**
 * Builds the order an intake describes. Lines without an id are numbered `1`, `2`, ... in order;
 * ids must be unique within the order.
 */
export function newOrder(intake: OrderIntake, ids: { orderId: string; intakeKey: string }, now: Date): Order {
  const lines: OrderLine[] = intake.lines.map((line, index) => ({
    lineId: line.lineId ?? String(index + 1),
    sku: line.sku,
    quantity: line.quantity,
    ...(line.unitPrice === undefined ? {} : { unitPrice: line.unitPrice }),
    state: initialState,
  }));
  const seen = new Map<string, number>();
  const issues: ValidationIssue[] = [];
  lines.forEach((line, index) => {
    const first = seen.get(line.lineId);
    if (first === undefined) seen.set(line.lineId, index);
    else issues.push({ path: `/lines/${index}/lineId`, message: `repeats the lineId of /lines/${first}` });
  });
  if (issues.length > 0) throw new ValidationError('The order is not valid.', issues);
  const at = now.toISOString();
  return {
    id: ids.orderId,
    type: 'order',
    orderId: ids.orderId,
    externalId: intake.externalId,
    channel: intake.channel ?? defaultChannel,
    currency: intake.currency,
    customer: intake.customer,
    shipTo: intake.shipTo,
    lines,
    state: initialState,
    intakeKey: ids.intakeKey,
    createdAt: at,
    updatedAt: at,
  };
}
