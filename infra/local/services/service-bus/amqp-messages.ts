import { randomUUID } from 'node:crypto';
import rhea, { type Message } from 'rhea';
import type { RoutingProperties, StoredMessage } from './message-store';

/** Message format of a batched transfer: its body's data sections are each one encoded message. */
const BATCH_FORMAT = 0x80013700;

/** The messages of one incoming transfer, each encoded (as stored) and with what routing needs. */
export function messagesOfTransfer(
  raw: Message | Buffer,
  format: number | undefined
): { data: string; routing: RoutingProperties; message: Message }[] {
  if (!Buffer.isBuffer(raw)) return [stored(raw, rhea.message.encode(raw))];
  const envelope = rhea.message.decode(raw) as unknown as Message;
  if (format !== BATCH_FORMAT) return [stored(envelope, raw)];
  const body = envelope.body as { multiple?: boolean; content?: unknown } | undefined;
  const parts = (body?.multiple ? body.content : [body]) as ({ content: Buffer } | Buffer)[];
  return parts.map((part) => {
    const bytes = Buffer.isBuffer(part) ? part : part.content;
    return stored(rhea.message.decode(bytes) as unknown as Message, bytes);
  });
}

export function decodeStored(data: string): Message {
  return rhea.message.decode(Buffer.from(data, 'base64')) as unknown as Message;
}

export function encodeStored(message: Message): string {
  return rhea.message.encode(message).toString('base64');
}

export function routingOf(message: Message): RoutingProperties {
  return {
    subject: message.subject,
    correlationId: message.correlation_id === undefined ? undefined : String(message.correlation_id),
    applicationProperties: message.application_properties,
    ttlMs: typeof message.ttl === 'number' && message.ttl > 0 ? message.ttl : undefined,
  };
}

/** The message as a receiver gets it: the annotations Service Bus adds and the delivery count. */
export function outgoingMessage(
  stored: StoredMessage,
  extra: { lockedUntil?: number; scheduled?: boolean }
): Message {
  const message = decodeStored(stored.data);
  const annotations: Record<string, unknown> = {
    ...(message.message_annotations ?? {}),
    'x-opt-sequence-number': rhea.types.wrap_long(stored.sequenceNumber),
    'x-opt-enqueued-time': new Date(stored.enqueuedAt),
  };
  if (extra.lockedUntil !== undefined) annotations['x-opt-locked-until'] = new Date(extra.lockedUntil);
  // Service Bus's message state: 2 is scheduled.
  if (extra.scheduled) annotations['x-opt-message-state'] = rhea.types.wrap_int(2);
  message.message_annotations = annotations;
  message.delivery_count = stored.deliveryCount;
  return message;
}

export function deadLettered(
  data: string,
  why: { reason: string; description?: string; source: string; properties?: Record<string, unknown> }
): string {
  const message = decodeStored(data);
  message.application_properties = {
    ...(message.application_properties ?? {}),
    ...(why.properties ?? {}),
    DeadLetterReason: why.reason,
    ...(why.description === undefined ? {} : { DeadLetterErrorDescription: why.description }),
  };
  message.message_annotations = {
    ...(message.message_annotations ?? {}),
    'x-opt-deadletter-source': why.source,
  };
  return encodeStored(message);
}

/** The scheduled enqueue time a message carries, if any (milliseconds). */
export function scheduledTimeOf(message: Message): number | undefined {
  const value: unknown = message.message_annotations?.['x-opt-scheduled-enqueue-time'];
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : undefined;
}

/** A long as rhea decodes it (a number, or 8 big-endian bytes beyond 2^53). */
export function longValue(value: unknown): number {
  if (Buffer.isBuffer(value)) return Number(value.readBigInt64BE(0));
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`not a long: ${String(value)}`);
}

/** Service Bus gives a message without an id one (receivers key lock renewal by it). */
function stored(message: Message, bytes: Buffer) {
  if (message.message_id === undefined || message.message_id === null) {
    message.message_id = randomUUID().replace(/-/g, '');
    bytes = rhea.message.encode(message);
  }
  return { data: bytes.toString('base64'), routing: routingOf(message), message };
}
