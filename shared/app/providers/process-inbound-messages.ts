import { ConflictError, isDomainError, ValidationError } from '../../domain/errors';
import { InboundMessageError, type InboundMessage } from '../../domain/providers/inbound-message';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { ProviderCallError } from '../../domain/providers/provider-call-error';
import type { IdGenerator, IntakeClaims, IntakeMessage } from '../../ports/orders';
import type { ProviderHttp, ProviderPlugins } from '../../ports/provider-plugins';
import type { InboundArchive } from '../../ports/providers';
import { settleEach } from '../platform/settle-each';
import { inSpan, SpanKind } from '../../telemetry/tracing';
import { archiveNameOf } from './inbound-body';
import { connectionOf } from './provider-settings';
import type { ProviderDefinition } from '../../domain/providers/provider-definition';
import type { ProviderInstance } from '../../domain/providers/provider-instance';
import {
  issuesText,
  runMessageTransformation,
  transformMessage,
  type TransformMessageDeps,
} from './transform-message';

export interface ProcessInboundDeps extends TransformMessageDeps {
  plugins: ProviderPlugins;
  archive: InboundArchive;
  /** Order claims by (instance, external id): each provider order becomes one order of ours. */
  claims: IntakeClaims;
  ids: IdGenerator;
  hash: (text: string) => string;
  http: ProviderHttp;
  /** Creates the order (and starts its journey) once per order id, as direct intake's consumer does. */
  createOrder: (intake: IntakeMessage) => Promise<'created' | 'exists'>;
  /** Cancels the order unless it is cancelled already; ConflictError where its state forbids it. */
  cancelOrder: (orderId: string) => Promise<void>;
  recordFailure: (message: InboundMessage, failure: InboundMessageError) => Promise<void>;
  /** Queues one message on its own (a group's failed member gets its own retries). */
  requeue: (message: InboundMessage) => Promise<void>;
  /**
   * Applies a status event to a fulfillment order as `POST /api/v1/fulfillment-orders/{id}/events`
   * does (validated; idempotent by the event's id). Domain errors (invalid, unknown FO, refused
   * transition) are thrown as they are.
   */
  recordFulfillmentOrderEvent: (
    fulfillmentOrderId: string,
    event: unknown
  ) => Promise<'applied' | 'duplicate'>;
  /**
   * Records a provider's refund or return of one of its orders (a transformation's output, validated
   * there); 'duplicate' when that refund was recorded before. Domain errors are thrown as they are.
   */
  recordReturn: (instanceId: string, output: unknown) => Promise<'applied' | 'duplicate'>;
}

export type InboundOutcome = 'created' | 'exists' | 'failed' | 'requeued';

/** How many messages of one group are worked on at once. */
const groupConcurrency = 8;

/**
 * The `provider-inbound` queue's consumer. A message that cannot become an order (no transformation,
 * a missing mapping, an invalid result) goes to the error list at once: retrying would not help. Any
 * other failure (storage, Cosmos, the provider's API down) throws, so the host retries it and at
 * last moves it to the poison queue; in a group, the failed member is queued again on its own.
 */
export async function processInboundMessages(
  deps: ProcessInboundDeps,
  queued: unknown
): Promise<InboundOutcome[]> {
  const group = groupOf(queued);
  if (group === undefined) return [await processInboundMessage(deps, queued as InboundMessage)];
  const settled = await settleEach(group, groupConcurrency, (message) =>
    processInboundMessage(deps, message)
  );
  const outcomes: InboundOutcome[] = [];
  for (const [i, result] of settled.entries()) {
    if (result.status === 'fulfilled') {
      outcomes.push(result.value);
    } else {
      await deps.requeue(group[i]!);
      outcomes.push('requeued');
    }
  }
  return outcomes;
}

function groupOf(queued: unknown): InboundMessage[] | undefined {
  if (typeof queued !== 'object' || queued === null) return undefined;
  const { messages } = queued as { messages?: unknown };
  return Array.isArray(messages) ? (messages as InboundMessage[]) : undefined;
}

/**
 * One provider message to one order: archived as received, enriched where the provider sends only
 * ids, transformed, claimed by its external id (so the same provider order is never two orders),
 * created; and cancelled when the provider cancelled it. Idempotent: a redelivery finds the claim
 * and the order and changes nothing.
 */
export async function processInboundMessage(
  deps: ProcessInboundDeps,
  message: InboundMessage
): Promise<InboundOutcome> {
  return (await processInboundMessageWithReason(deps, message)).outcome;
}

/** processInboundMessage, also answering why a failed message failed (for a file's report). */
export function processInboundMessageWithReason(
  deps: ProcessInboundDeps,
  message: InboundMessage
): Promise<{ outcome: InboundOutcome; failure?: InboundMessageError }> {
  return inSpan(
    'provider.inbound',
    {
      kind: SpanKind.CONSUMER,
      parent: message.traceparent,
      attributes: {
        'openiom.provider_instance': message.instanceId,
        'openiom.message_type': message.messageType,
        'openiom.message_id': message.messageId,
        'openiom.via': message.via,
      },
    },
    async (span) => {
      const processed = await processTraced(deps, message);
      span.setAttribute('openiom.outcome', processed.outcome);
      return processed;
    }
  );
}

async function processTraced(
  deps: ProcessInboundDeps,
  message: InboundMessage
): Promise<{ outcome: InboundOutcome; failure?: InboundMessageError }> {
  try {
    return { outcome: await toOrder(deps, message) };
  } catch (err) {
    if (!(err instanceof InboundMessageError)) throw err;
    await deps.recordFailure(message, err);
    return { outcome: 'failed', failure: err };
  }
}

async function toOrder(deps: ProcessInboundDeps, message: InboundMessage): Promise<InboundOutcome> {
  const instance = await deps.settings.instance(message.instanceId);
  const plugin = instance && deps.plugins.get(instance.provider);
  if (instance === undefined || plugin === undefined) {
    throw new InboundMessageError(
      'instance',
      `No provider instance ${message.instanceId}: the message cannot be transformed.`,
      'Create the instance again (same id), then resubmit.'
    );
  }
  const text = await bodyOf(deps, message);
  let body: unknown;
  try {
    body = parseJsonLossless(text);
  } catch (err) {
    throw new InboundMessageError('validation', 'The message body is not JSON.', (err as Error).message);
  }
  if (plugin.enrich !== undefined) {
    try {
      body = await plugin.enrich(connectionOf(instance), message.messageType, body, deps.http);
    } catch (err) {
      if (err instanceof ProviderCallError && err.permanent) {
        throw new InboundMessageError(
          'enrichment',
          `Fetching the order from ${plugin.definition.name} failed: ${err.message}`,
          err.body
        );
      }
      throw err;
    }
  }
  if (
    plugin.definition.messageTypes.some(
      (t) => t.name === message.messageType && t.intent === 'fulfillmentOrderEvent'
    )
  ) {
    return toFulfillmentOrderEvent(deps, plugin.definition, instance, message, body);
  }
  if (plugin.definition.messageTypes.some((t) => t.name === message.messageType && t.intent === 'return')) {
    return toReturn(deps, plugin.definition, instance, message, body);
  }
  const { intake, intent, cancelled } = await transformMessage(
    deps,
    plugin.definition,
    instance,
    message.messageType,
    body
  );
  const intakeKey = `provider:${instance.id}:${intake.externalId}`;
  const { orderId } = await deps.claims.claim(intakeKey, deps.ids.newId());
  const outcome = await deps.createOrder({ orderId, intakeKey, body: JSON.stringify(intake) });
  if (intent === 'cancel' || cancelled) {
    try {
      await deps.cancelOrder(orderId);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      throw new InboundMessageError(
        'cancellation',
        `${plugin.definition.name} cancelled order ${intake.externalId}, but order ${orderId} cannot be cancelled here.`,
        err.message
      );
    }
  }
  return outcome;
}

/** The body as received, archived first (so every order's provider message is kept). */
async function bodyOf(deps: ProcessInboundDeps, message: InboundMessage): Promise<string> {
  if (message.body !== undefined) {
    await deps.archive.putIfAbsent(archiveNameOf(message, deps.hash), message.body);
    return message.body;
  }
  const archived = message.archived === undefined ? undefined : await deps.archive.get(message.archived);
  if (archived === undefined) {
    throw new InboundMessageError(
      'validation',
      `The body of message ${message.messageId} is not in the archive.`,
      message.archived
    );
  }
  return archived;
}

/**
 * A message the host gave up on (`provider-inbound-poison`): every message in it goes on the error
 * list, so it can be resubmitted once whatever kept failing (storage, Cosmos, the provider) is back.
 */
export async function recordPoisonedInbound(deps: ProcessInboundDeps, queued: unknown): Promise<void> {
  for (const message of groupOf(queued) ?? [queued as InboundMessage]) {
    if (typeof message?.instanceId !== 'string' || typeof message.messageId !== 'string') continue;
    await deps.recordFailure(
      message,
      new InboundMessageError(
        'delivery',
        `Processing message ${message.messageId} failed on every delivery.`,
        'The cause was not in the message (storage, Cosmos DB or the provider was unavailable); see the host log. Resubmitting is safe.'
      )
    );
  }
}

/**
 * A provider's refund or return of one of its orders: the transformation's output becomes a return
 * of ours (once per provider refund id). What the return rules refuse (a line not shipped, or
 * returned already; an order we do not have) goes on the error list.
 */
async function toReturn(
  deps: ProcessInboundDeps,
  definition: ProviderDefinition,
  instance: ProviderInstance,
  message: InboundMessage,
  body: unknown
): Promise<InboundOutcome> {
  const { result } = await runMessageTransformation(deps, definition, instance, message.messageType, body);
  try {
    return (await deps.recordReturn(instance.id, result.output)) === 'applied' ? 'created' : 'exists';
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new InboundMessageError(
        'validation',
        `The ${message.messageType} message is not a return we can take.`,
        issuesText(err)
      );
    }
    if (isDomainError(err)) {
      throw new InboundMessageError(
        'return',
        `The ${message.messageType} message was not taken: ${err.message}`
      );
    }
    throw err;
  }
}

/**
 * A carrier's or 3PL's callback about our fulfillment orders: the transformation's output is
 * `{fulfillmentOrderId, event}` (or a list of them), each applied as the FO events route applies it.
 * An event without an id takes one derived from the provider's message id (and its place in the
 * list), so a redelivery applies it once.
 */
async function toFulfillmentOrderEvent(
  deps: ProcessInboundDeps,
  definition: ProviderDefinition,
  instance: ProviderInstance,
  message: InboundMessage,
  body: unknown
): Promise<InboundOutcome> {
  const { result } = await runMessageTransformation(deps, definition, instance, message.messageType, body);
  // One callback may report several FOs (a carrier's batch of labels): the output is then a list.
  const outputs = Array.isArray(result.output) ? (result.output as unknown[]) : [result.output];
  const events = outputs.map((output) => {
    const { fulfillmentOrderId: foId, event } = (output ?? {}) as {
      fulfillmentOrderId?: unknown;
      event?: unknown;
    };
    if (typeof foId !== 'string' || foId === '' || typeof event !== 'object' || event === null) {
      throw new InboundMessageError(
        'validation',
        `The ${message.messageType} transformation's output is not a fulfillment order event.`,
        'Expected {fulfillmentOrderId: string, event: {id?, type, lines?, tracking?}}, or a list of them.'
      );
    }
    return { foId, event: event as Record<string, unknown> };
  });
  let outcome: InboundOutcome = 'exists';
  // Each event is tried, so one FO refusing does not hold back the others of a list; each applies
  // once by its id, so resubmitting the message applies only what had not been.
  const refusals: InboundMessageError[] = [];
  for (const [i, { foId, event }] of events.entries()) {
    const withId = { ...event };
    withId.id ??= `${instance.id}-${deps.hash(message.messageId)}${events.length > 1 ? `-${i}` : ''}`;
    try {
      if ((await deps.recordFulfillmentOrderEvent(foId, withId)) === 'applied') outcome = 'created';
    } catch (err) {
      if (err instanceof ValidationError) {
        refusals.push(
          new InboundMessageError(
            'validation',
            `The ${message.messageType} transformation's output is not a valid fulfillment order event.`,
            issuesText(err)
          )
        );
      } else if (isDomainError(err)) {
        refusals.push(
          new InboundMessageError(
            'fulfillment-order',
            `Fulfillment order ${foId} did not take the ${message.messageType} event: ${err.message}`
          )
        );
      } else {
        throw err;
      }
    }
  }
  const [first, ...more] = refusals;
  if (first === undefined) return outcome;
  if (more.length === 0) throw first;
  throw new InboundMessageError(
    first.step,
    `${refusals.length} of ${events.length} events were not taken: ${refusals.map((r) => r.message).join(' ')}`,
    refusals
      .map((r) => r.detail)
      .filter(Boolean)
      .join('; ') || undefined
  );
}
