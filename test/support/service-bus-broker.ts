import type { AddressInfo } from 'net';
import rhea, { type EventContext, type Message } from 'rhea';

/** The parts of rhea's link objects used here; its typings leave out `remote` and `find_sender`'s argument. */
interface Link {
  remote: { attach?: { source?: { address?: string }; target?: { address?: string } } };
  source?: { address?: string };
  target?: { address?: string };
  set_source(source: { address?: string }): void;
  set_target(target: { address?: string }): void;
  local: { attach: { max_message_size?: number } };
  send(message: object): void;
}
interface Connection {
  find_sender(filter: (sender: Link) => boolean): Link | undefined;
}

/** A message as it arrived at the broker, one per message of a batch. */
export interface BrokeredMessage {
  address: string;
  message: Message;
  /** The body's bytes parsed as JSON (what the SDK sends for an object body). */
  json: unknown;
}

export interface ServiceBusBroker {
  /** A connection string the `@azure/service-bus` SDK accepts (development-emulator mode: plain AMQP). */
  connectionString: string;
  received: BrokeredMessage[];
  close(): Promise<void>;
}

/**
 * A local AMQP 1.0 listener that speaks the part of Service Bus the SDK uses to send: SASL
 * anonymous, claims-based authorization (`$cbs` put-token, answered 202) and sender links whose
 * batched transfers (message format 0x80013700: each data section one encoded message) it unpacks
 * and records. Service Bus has no emulator that runs here; this is a stand-in for the service, not a
 * fake of the SDK — the real client library does every byte on its side.
 */
export async function startServiceBusBroker(): Promise<ServiceBusBroker> {
  const container = rhea.create_container();
  // Untyped in rhea's typings.
  (container.sasl_server_mechanisms as { enable_anonymous(): void }).enable_anonymous();
  const received: BrokeredMessage[] = [];

  container.on('sender_open', (context: EventContext) => {
    const sender = context.sender as unknown as Link;
    sender.set_source({ address: sender.remote.attach?.source?.address });
  });
  container.on('receiver_open', (context: EventContext) => {
    const receiver = context.receiver as unknown as Link;
    receiver.set_target({ address: receiver.remote.attach?.target?.address });
    // Standard tier's limit; the SDK sizes its batches by what the link's attach announces.
    receiver.local.attach.max_message_size = 256 * 1024;
  });
  container.on('message', (context: EventContext) => {
    const address = (context.receiver as unknown as Link).target?.address ?? '';
    if (address === '$cbs') {
      const request = context.message as Message;
      const connection = context.connection as unknown as Connection;
      const replyLink = connection.find_sender((sender) => sender.source?.address === '$cbs');
      replyLink?.send({
        to: request.reply_to,
        correlation_id: request.message_id,
        application_properties: { 'status-code': 202, 'status-description': 'Accepted' },
      });
      return;
    }
    // Batched sends arrive undecoded (a non-zero message format): decode the envelope, then each part.
    const raw = context.message as unknown;
    const envelope = Buffer.isBuffer(raw)
      ? (rhea.message.decode(raw) as unknown as Message)
      : (raw as Message);
    const body = envelope.body as { multiple?: boolean; content?: unknown } | undefined;
    const parts = Buffer.isBuffer(raw)
      ? ((body?.multiple ? body.content : [body]) as ({ content: Buffer } | Buffer)[]).map(
          (part) => rhea.message.decode(Buffer.isBuffer(part) ? part : part.content) as unknown as Message
        )
      : [envelope];
    for (const message of parts) {
      const content = (message.body as { content?: Buffer } | undefined)?.content;
      received.push({
        address,
        message,
        json: content === undefined ? undefined : (JSON.parse(content.toString('utf8')) as unknown),
      });
    }
  });

  const server = container.listen({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=local-broker;UseDevelopmentEmulator=true`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
