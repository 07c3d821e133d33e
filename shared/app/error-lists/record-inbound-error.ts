import { ValidationError } from '../../domain/errors';
import type { ErrorEntry } from '../../domain/error-lists/error-entry';
import { newOrder, type OrderIntake } from '../../domain/orders/order';
import type { Clock } from '../../ports/clock';
import type { ErrorListRepository } from '../../ports/error-lists';
import type { IntakeArchive, IntakeMessage, OrderRepository } from '../../ports/orders';
import { intakeGroupOf } from '../intake/create-order';

export interface RecordInboundErrorDeps {
  errors: ErrorListRepository;
  archive: IntakeArchive;
  orders: OrderRepository;
  validate: (input: unknown) => OrderIntake;
  clock: Clock;
}

/** An intake message the host gave up on (it moved it to `<queue>-poison`). */
export interface FailedIntakeMessage {
  /** The queue it failed on, and where a resubmit puts it back. */
  queue: string;
  /** The id of the poison-queue message: one entry per poison message, however often it is delivered. */
  messageId: string;
  /** The message as the trigger delivered it: parsed JSON, or the text when it is not JSON. */
  message: unknown;
  /** Deliveries that failed before the host gave up. */
  attempts: number;
}

interface Diagnosis {
  message: string;
  detail?: string;
  orderId?: string;
}

/**
 * Puts a failed intake message on the `provider-inbound` error list with its payload, so it can be
 * resubmitted; a grouped message (IntakeQueue.send) gets one entry per intake, each resubmitted on its
 * own. The poison queue keeps no reason, so the reason is found again by re-checking the message the
 * way the intake function processes it. Idempotent by the poison message id: a redelivered poison
 * message finds its entries there and changes nothing.
 */
export async function recordInboundError(
  deps: RecordInboundErrorDeps,
  failed: FailedIntakeMessage
): Promise<'recorded' | 'exists'> {
  const group = intakeGroupOf(failed.message);
  const parts: { id: string; message: unknown }[] =
    group === undefined
      ? [{ id: `${failed.queue}.${failed.messageId}`, message: failed.message }]
      : group.map((intake, i) => ({ id: `${failed.queue}.${failed.messageId}.${i}`, message: intake }));
  let recorded = false;
  for (const part of parts) {
    const diagnosis = await diagnose(deps, { ...failed, message: part.message });
    const entry: ErrorEntry = {
      id: part.id,
      type: 'error-entry',
      kind: 'provider-inbound',
      createdAt: deps.clock.now().toISOString(),
      source: failed.queue,
      message: diagnosis.message,
      ...(diagnosis.detail !== undefined ? { detail: diagnosis.detail } : {}),
      payload: payloadText(part.message),
      queue: failed.queue,
      ...(diagnosis.orderId !== undefined ? { orderId: diagnosis.orderId } : {}),
      status: 'open',
      attempts: failed.attempts,
    };
    if ((await deps.errors.create(entry)) === 'created') recorded = true;
  }
  return recorded ? 'recorded' : 'exists';
}

/** The original text: the trigger hands over JSON parsed, and re-serializing it gives the same JSON. */
function payloadText(message: unknown): string {
  if (typeof message === 'string') return message;
  return JSON.stringify(message);
}

function asIntakeMessage(message: unknown): IntakeMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { orderId, intakeKey, body } = message as Record<string, unknown>;
  if (typeof orderId !== 'string' || orderId === '' || typeof intakeKey !== 'string') return undefined;
  return typeof body === 'string' ? { orderId, intakeKey, body } : { orderId, intakeKey };
}

async function diagnose(deps: RecordInboundErrorDeps, failed: FailedIntakeMessage): Promise<Diagnosis> {
  const times = `${failed.attempts} times`;
  const intake = asIntakeMessage(failed.message);
  if (intake === undefined) {
    return {
      message: `The message on ${failed.queue} is not an intake message: it needs a string orderId and intakeKey.`,
    };
  }
  const { orderId } = intake;
  const raw = intake.body ?? (await deps.archive.get(orderId));
  const which = intake.body === undefined ? 'archived' : 'queued';
  if (raw === undefined) {
    return {
      orderId,
      message: `No archived intake body for order ${orderId}: the order cannot be created without it.`,
      detail: `Processing failed ${times}. Archive the body as intake-archive/${orderId}.json, then resubmit.`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    return {
      orderId,
      message: `The ${which} intake body of order ${orderId} is not valid JSON.`,
      detail: err instanceof Error ? err.message : String(err),
    };
  }
  try {
    newOrder(deps.validate(body), intake, deps.clock.now());
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return {
      orderId,
      message: `The ${which} intake body of order ${orderId} is not a valid order.`,
      detail: err.errors.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; '),
    };
  }
  if (await deps.orders.get(orderId)) {
    return {
      orderId,
      message: `Order ${orderId} exists, but finishing its intake failed ${times}.`,
      detail:
        'Re-checking the message finds no fault in it; see the host log for the failures. Resubmitting is safe.',
    };
  }
  return {
    orderId,
    message: `Creating order ${orderId} failed ${times}, but re-checking the message finds no fault in it.`,
    detail:
      'The cause was probably temporary (storage or Cosmos DB unavailable); see the host log. Resubmitting is safe.',
  };
}
