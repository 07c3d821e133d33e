import type { FulfillmentOrder } from './fulfillment-order';

/**
 * Which FO id a new FO of an order at a source gets (docs/fulfillment-orders.md, "Creation
 * claims"). An activity is delivered at least once, so two runs of one order's creation can run at
 * the same moment: both find no FO and each would create one under an id of its own. Each claims
 * the creation first; a run that finds it claimed uses the claimed id, so the FO is stored once
 * (storing the same id again conflicts) whichever run stores it, and even when the claimer died
 * before storing it.
 */
export interface CreationClaim {
  /** `creationKeyOf`: the order, the source and the order's lines on the FO. */
  key: string;
  /** The order the FO is created for. */
  orderId: string;
  /** The FO's id. */
  foId: string;
}

/**
 * What makes a new FO unique for its order (exactly once per (order line, source)): the order, the
 * source and the order's line ids on it, in any order.
 */
export function creationKeyOf(orderId: string, sourceId: string, lineIds: Iterable<string>): string {
  return [orderId, sourceId, ...[...new Set(lineIds)].sort()].join('\n');
}

/** The claim of a new FO for the lines of `orderId` it carries. */
export function creationClaimFor(fo: FulfillmentOrder, orderId: string): CreationClaim {
  const lineIds = fo.lines.filter((l) => l.orderId === orderId).map((l) => l.lineId);
  return { key: creationKeyOf(orderId, fo.sourceId, lineIds), orderId, foId: fo.id };
}
