import type { InboundMessage } from '../../domain/providers/inbound-message';
import type { InboundArchive } from '../../ports/providers';
import { maxInlineBodyChars } from '../intake/accept-order';

type Unbodied = Omit<InboundMessage, 'body' | 'archived'>;

/** Where a message's body is archived: per instance, by a hash of its id (ids are provider text). */
export function archiveNameOf(message: Unbodied, hash: (text: string) => string): string {
  return `${message.instanceId}/${hash(message.messageId)}.json`;
}

/**
 * The message with its body as it travels on the queue: inline when it fits in a queue message (as
 * direct intake's bodies do), otherwise archived first and named.
 */
export async function withBody(
  archive: InboundArchive,
  hash: (text: string) => string,
  message: Unbodied,
  text: string
): Promise<InboundMessage> {
  if (text.length <= maxInlineBodyChars) return { ...message, body: text };
  return { ...message, archived: await archive.putIfAbsent(archiveNameOf(message, hash), text) };
}
