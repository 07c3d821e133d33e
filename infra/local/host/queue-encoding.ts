/** Queue triggers and outputs use base64 message text by default, as the Functions host does. */
export type MessageEncoding = 'base64' | 'none';

export class MessageEncodingError extends Error {}

export function encodeMessage(payload: Buffer, encoding: MessageEncoding): string {
  return encoding === 'base64' ? payload.toString('base64') : payload.toString('utf8');
}

export function decodeMessage(text: string, encoding: MessageEncoding): string {
  if (encoding === 'none') return text;
  const canonical = /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
  const decoded = Buffer.from(text, 'base64');
  if (!canonical || decoded.toString('base64') !== text) {
    throw new MessageEncodingError('The message is not valid base64, which the queue trigger expects.');
  }
  return decoded.toString('utf8');
}
