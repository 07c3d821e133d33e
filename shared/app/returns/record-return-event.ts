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
 * return through the state framework (a refused one is 409 and changes nothing), put on the order's
 * timeline and signalled to the return's journey. Idempotent by the event's `id`. `refunded` credits
 * the return's lines at once (a credit note keyed by the return, so never twice).
 *
 * The return journey refunds an inspected return and restocks or writes off its lines. A return
 * without a journey (none published, or a provider's refund) has that carried out here, after the
 * inspection, each part once; a repeated event carries out whatever is still undone.
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
      raised = await raiseOnStoredReturn(deps, returnId, event, { fromOutside: true });
      break;
    case 'inspected': {
      assertNotCancelled(stored.orderReturn, 'inspected');
      const given = request.lines ?? [];
      const lines = withDispositions(stored.orderReturn, given);
      raised = await raiseOnStoredReturn(
        deps,
        returnId,
        {
          ...event,
          detail: lines.map((l) => `${l.lineId}: ${l.quantity} ${l.disposition}`).join(', '),
          data: { lines: lines.map(({ lineId, disposition }) => ({ lineId, disposition })) },
        },
        {
          fromOutside: true,
          change: (r) => {
            r.lines = withDispositions(r, given);
          },
        }
      );
      break;
    }
    case 'refunded':
      assertNotCancelled(stored.orderReturn, 'refunded');
      raised = {
        orderReturn: await refundReturn(deps, stored.orderReturn, { fromOutside: true }),
        duplicate: stored.orderReturn.creditNoteId !== undefined,
      };
      break;
  }
  return { orderReturn: await carryOut(deps, raised.orderReturn), duplicate: raised.duplicate };
}

/** What an inspected return without a journey still owes: its refund, then each line's disposition. */
async function carryOut(deps: ReturnDeps, orderReturn: OrderReturn): Promise<OrderReturn> {
  if (orderReturn.journey !== undefined) return orderReturn; // its journey does it
  if (!orderReturn.lines.every((line) => line.disposition !== undefined)) return orderReturn;
  return disposeReturn(deps, await refundReturn(deps, orderReturn));
}

/**
 * Restocks each `restock` line at the return location (an on-hand change, id derived from the return
 * and line) and records each `writeOff`, raising `Return Restocked` / `Return Written Off` for it;
 * lines disposed before are left alone. ConflictError `restock-failed` when inventory refuses.
 */
export async function disposeReturn(deps: ReturnDeps, orderReturn: OrderReturn): Promise<OrderReturn> {
  let current = orderReturn;
  for (const line of current.lines) {
    if (line.disposed || line.disposition === undefined) continue;
    const restocked = line.disposition === 'restock';
    const sourceId = current.returnLocation.sourceId;
    if (restocked) {
      const done = await deps.restock({
        id: `${current.id}-${line.lineId}-restock`,
        sku: line.sku,
        sourceId,
        quantity: line.quantity,
      });
      if (!done.ok) {
        throw new ConflictError(
          `Return ${current.id}: line ${line.lineId} could not be restocked at ${sourceId}: ${done.message ?? 'refused'}.`,
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
          ? `line ${line.lineId}: ${line.quantity} x ${line.sku} back on hand at ${sourceId}`
          : `line ${line.lineId}: ${line.quantity} x ${line.sku} written off`,
        data: { lineId: line.lineId, sku: line.sku, quantity: line.quantity, sourceId },
      },
      {
        change: (r) => {
          r.lines = r.lines.map((l) => (l.lineId === line.lineId ? { ...l, disposed: true } : l));
        },
      }
    );
    current = raised.orderReturn;
  }
  return current;
}

/**
 * Refunds the return once: checks that it may be refunded now (the state framework, before any money
 * moves), credits its lines (credit note keyed by the return, so never twice, whoever asks: the API,
 * a provider or the journey), and raises `Return Refunded` in the write that keeps the credit note's id.
 */
export async function refundReturn(
  deps: ReturnDeps,
  orderReturn: OrderReturn,
  options: { fromOutside?: boolean } = {}
): Promise<OrderReturn> {
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
      detail: `credit note ${note.id}: ${note.total} ${note.currency} (tax ${note.taxTotal})`,
      data: { creditNoteId: note.id, total: note.total, taxTotal: note.taxTotal, currency: note.currency },
    },
    {
      ...options,
      change: (r) => {
        r.creditNoteId = note.id;
      },
    }
  );
  return raised.orderReturn;
}
