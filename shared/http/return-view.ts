import type { OrderReturn } from '../domain/returns/order-return';

/** A return as the API shows it (`GET /api/v1/returns/{returnId}`). */
export function returnView(r: OrderReturn) {
  return {
    id: r.id,
    orderId: r.orderId,
    state: r.state,
    ...(r.stateReason ? { stateReason: r.stateReason } : {}),
    returnLocation: r.returnLocation,
    lines: r.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      reason: line.reason,
      ...(line.disposition ? { disposition: line.disposition } : {}),
      disposed: line.disposed ?? false,
    })),
    origin: r.origin,
    ...(r.externalId ? { externalId: r.externalId } : {}),
    creditNoteId: r.creditNoteId ?? null,
    journey: r.journey ? { journeyId: r.journey.journeyId, version: r.journey.version } : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
