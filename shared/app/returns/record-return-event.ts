import { ConflictError } from '../../domain/errors';
import {
  assertNotCancelled,
  RETURN_EVENT_NAMES,
  withDispositions,
  type OrderReturn,
} from '../../domain/returns/order-return';
import { applyEvent } from '../../domain/states/apply-event';
import type { ReturnEventRequest } from '../../schemas/return.schema';
import { raiseOnStoredReturn, returnNotFound } from './raise-on-stored-return';
import type { ReturnDeps } from './return-deps';

export interface RecordedReturnEvent {
  orderReturn: OrderReturn;
  duplicate: boolean;
}

/**
 * `POST /api/v1/returns/{returnId}/events` (docs/returns.md): `received`, `inspected` (each line's
 * disposition, `restock` unless named `writeOff`), `refunded`, `cancelled`, each raised on the
 * return through the state framework (a refused one is 409 and changes nothing) and put on the
 * order's timeline. Idempotent by the event's `id`.
 *
 * What follows an event is carried out here, each part once (ids derived from the return):
 * `refunded` credits the return's lines (a credit note, key = the return); an inspection refunds the
 * return unless it was refunded already, then restocks each `restock` line at the return location
 * (an on-hand change) and records each `writeOff`. A repeated event carries out whatever of that is
 * still undone (after a failure), so retrying the same event finishes the work.
 */
export async function recordReturnEvent(
  deps: ReturnDeps,
  returnId: string,
  body: unknown
): Promise<RecordedReturnEvent> {
  const request = deps.validators.returnEvent(body);
  return applyReturnEvent(deps, returnId, request);
}

/** A validated return event (from the API or a provider's refund); see recordReturnEvent. */
export async function applyReturnEvent(
  deps: ReturnDeps,
  returnId: string,
  request: ReturnEventRequest
): Promise<RecordedReturnEvent> {
  const eventId = request.id ?? deps.ids.newId();
  const stored = await deps.returns.get(returnId);
  if (stored === undefined) throw returnNotFound(returnId);
  if (stored.orderReturn.appliedEventIds.includes(eventId)) {
    return { orderReturn: await carryOut(deps, stored.orderReturn), duplicate: true };
  }
  const name = RETURN_EVENT_NAMES[request.type];
  const event = { id: eventId, name, ...(request.note ? { detail: request.note } : {}) };
  let raised;
  switch (request.type) {
    case 'received':
    case 'cancelled':
      raised = await raiseOnStoredReturn(deps, returnId, event);
      break;
    case 'inspected': {
      assertNotCancelled(stored.orderReturn, 'inspected');
      const lines = withDispositions(stored.orderReturn, request.lines ?? []);
      const detail = lines.map((l) => `${l.lineId}: ${l.quantity} ${l.disposition}`).join(', ');
      raised = await raiseOnStoredReturn(
        deps,
        returnId,
        {
          ...event,
          detail,
          data: { lines: lines.map(({ lineId, disposition }) => ({ lineId, disposition })) },
        },
        (r) => {
          r.lines = withDispositions(r, request.lines ?? []);
        }
      );
      break;
    }
    case 'refunded':
      assertNotCancelled(stored.orderReturn, 'refunded');
      raised = {
        orderReturn: await refund(deps, stored.orderReturn),
        duplicate: stored.orderReturn.creditNoteId !== undefined,
      };
      break;
  }
  return { orderReturn: await carryOut(deps, raised.orderReturn), duplicate: raised.duplicate };
}

/** What an inspected return still owes: its refund, then each line's disposition. */
async function carryOut(deps: ReturnDeps, orderReturn: OrderReturn): Promise<OrderReturn> {
  if (!orderReturn.lines.every((line) => line.disposition !== undefined)) return orderReturn;
  let current = await refund(deps, orderReturn);
  for (const line of current.lines) {
    if (line.disposed) continue;
    const restocked = line.disposition === 'restock';
    if (restocked) {
      const done = await deps.restock({
        id: `${current.id}-${line.lineId}-restock`,
        sku: line.sku,
        sourceId: current.returnLocation.sourceId,
        quantity: line.quantity,
      });
      if (!done.ok) {
        throw new ConflictError(
          `Return ${current.id}: line ${line.lineId} could not be restocked at ${current.returnLocation.sourceId}: ${done.message ?? 'refused'}. Post the event again once fixed.`,
          { code: 'restock-failed' }
        );
      }
    }
    const raised = await raiseOnStoredReturn(
      deps,
      current.id,
      {
        id: `${current.id}-${line.lineId}-disposed`,
        name: restocked ? 'Return Restocked' : 'Return Written Off',
        detail: restocked
          ? `line ${line.lineId}: ${line.quantity} x ${line.sku} back on hand at ${current.returnLocation.sourceId}`
          : `line ${line.lineId}: ${line.quantity} x ${line.sku} written off`,
        data: {
          lineId: line.lineId,
          sku: line.sku,
          quantity: line.quantity,
          sourceId: current.returnLocation.sourceId,
        },
      },
      (r) => {
        r.lines = r.lines.map((l) => (l.lineId === line.lineId ? { ...l, disposed: true } : l));
      }
    );
    current = raised.orderReturn;
  }
  return current;
}

/**
 * Refunds the return once: checks that it may be refunded now (the state framework, before any money
 * moves), credits its lines (credit note keyed by the return, so never twice), and raises
 * `Return Refunded` with the credit note in the same write that keeps the credit note's id.
 */
async function refund(deps: ReturnDeps, orderReturn: OrderReturn): Promise<OrderReturn> {
  if (orderReturn.creditNoteId !== undefined) return orderReturn;
  applyEvent(deps.config, {
    entityType: 'return',
    currentState: orderReturn.state,
    event: 'Return Refunded',
  });
  const note = await deps.createCreditNote({
    key: `return-${orderReturn.id}`,
    orderId: orderReturn.orderId,
    returnId: orderReturn.id,
    lines: orderReturn.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
  });
  const raised = await raiseOnStoredReturn(
    deps,
    orderReturn.id,
    {
      id: `${orderReturn.id}-refunded`,
      name: 'Return Refunded',
      detail: `credit note ${note.id}: ${note.total} ${note.currency} (tax ${note.tax})`,
      data: { creditNoteId: note.id, total: note.total, tax: note.tax, currency: note.currency },
    },
    (r) => {
      r.creditNoteId = note.id;
    }
  );
  return raised.orderReturn;
}
