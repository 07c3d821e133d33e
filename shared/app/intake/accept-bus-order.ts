import { ValidationError } from '../../domain/errors';
import type { ErrorEntry } from '../../domain/error-lists/error-entry';
import type { ErrorListRepository } from '../../ports/error-lists';
import { serviceBusQueuePrefix } from '../../ports/binding-names';
import { inSpan, SpanKind } from '../../telemetry/tracing';
import { acceptOrder, type AcceptOrderDeps, type AcceptedOrder } from './accept-order';

export interface AcceptBusOrderDeps extends AcceptOrderDeps {
  errors: ErrorListRepository;
}

/** An order message as a Service Bus trigger delivers it. */
export interface BusOrderMessage {
  /** The Service Bus queue it came from. */
  queue: string;
  messageId: string;
  /** The body: an object the trigger parsed, JSON text, or bytes. */
  body: unknown;
  /** Application property `Idempotency-Key`, when the sender set one (else the order's externalId). */
  idempotencyKey?: string;
  /** The sender's W3C trace context (the host's, or the message's `traceparent` / `Diagnostic-Id`). */
  traceparent?: string;
}

export type BusOrderOutcome =
  | ({ outcome: 'accepted' } & AcceptedOrder)
  /** Not an order: it is on the provider-inbound error list (`errorId`), where it can be fixed and resubmitted. */
  | { outcome: 'refused'; errorId: string };

/**
 * Orders arriving on a Service Bus queue go through direct intake's pipeline (validate, claim the
 * idempotency key, queue), so a redelivered message is a duplicate, never a second order. A message
 * that is not a valid order is not retried (it would fail the same way until it is dead-lettered):
 * it goes on the provider-inbound error list with its text, and a resubmit sends it back to its queue.
 * Anything else throws, so the trigger abandons the message and Service Bus redelivers it. The
 * order's trace begins (or continues the sender's) at this `receive <queue>` span.
 */
export function acceptBusOrder(deps: AcceptBusOrderDeps, message: BusOrderMessage): Promise<BusOrderOutcome> {
  return inSpan(
    `receive ${message.queue}`,
    {
      kind: SpanKind.CONSUMER,
      parent: message.traceparent,
      attributes: {
        'messaging.system': 'servicebus',
        'messaging.destination.name': message.queue,
        'messaging.message.id': message.messageId,
      },
    },
    async (span) => {
      const outcome = await acceptTraced(deps, message);
      span.setAttribute('openiom.outcome', outcome.outcome);
      return outcome;
    }
  );
}

async function acceptTraced(deps: AcceptBusOrderDeps, message: BusOrderMessage): Promise<BusOrderOutcome> {
  const text = bodyText(message.body);
  let body: unknown = message.body;
  try {
    if (typeof message.body !== 'object' || message.body === null || message.body instanceof Uint8Array)
      body = JSON.parse(text);
    return { outcome: 'accepted', ...(await acceptOrder(deps, body, text, message.idempotencyKey)) };
  } catch (err) {
    const reason = refusal(err);
    if (reason === undefined) throw err;
    const entry: ErrorEntry = {
      id: `servicebus.${message.queue}.${message.messageId}`,
      type: 'error-entry',
      kind: 'provider-inbound',
      createdAt: deps.clock.now().toISOString(),
      source: `${serviceBusQueuePrefix}${message.queue}`,
      step: 'validation',
      messageId: message.messageId,
      message: `The message ${message.messageId} on Service Bus queue ${message.queue} is not a valid order.`,
      detail: reason,
      payload: text,
      queue: `${serviceBusQueuePrefix}${message.queue}`,
      status: 'open',
      attempts: 1,
    };
    await deps.errors.create(entry);
    return { outcome: 'refused', errorId: entry.id };
  }
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return JSON.stringify(body) ?? '';
}

/** Why the message can never become an order, or undefined when the failure may pass. */
function refusal(err: unknown): string | undefined {
  if (err instanceof SyntaxError) return `not JSON: ${err.message}`;
  if (err instanceof ValidationError)
    return err.errors.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ');
  return undefined;
}
