import { randomUUID } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import { StorageIntakeQueue } from '../../shared/adapters/storage/intake-queue';
import type { IntakeMessage } from '../../shared/ports/orders';

// The intake queue's group commit against Azurite: what concurrent sends leave on the queue.

let queue: QueueClient;

beforeEach(async () => {
  queue = new QueueClient(process.env.AzureWebJobsStorage!, `intake-it-${randomUUID().slice(0, 8)}`);
  await queue.createIfNotExists();
});

afterEach(async () => {
  await queue.deleteIfExists();
});

async function drain(): Promise<unknown[]> {
  const messages: unknown[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
    if (receivedMessageItems.length === 0) return messages;
    for (const item of receivedMessageItems) {
      messages.push(JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')));
    }
  }
}

const intake = (n: number, body = `{"externalId":"x-${n}"}`): IntakeMessage => ({
  orderId: `o-${n}`,
  intakeKey: `k-${n}`,
  body,
});

it('writes a lone intake as itself', async () => {
  await new StorageIntakeQueue(queue).send(intake(1));
  expect(await drain()).toEqual([intake(1)]);
});

it('carries intakes sent while a write is in flight in shared messages, each intake exactly once', async () => {
  const sender = new StorageIntakeQueue(queue);
  const sent = Array.from({ length: 120 }, (_, n) => intake(n));
  await Promise.all(sent.map((message) => sender.send(message)));

  const messages = await drain();
  const carried = messages.flatMap(
    (m) => ((m as { intakes?: IntakeMessage[] }).intakes ?? [m]) as IntakeMessage[]
  );
  expect(carried.map((m) => m.orderId).sort()).toEqual(sent.map((m) => m.orderId).sort());
  expect(carried).toEqual(expect.arrayContaining(sent));
  // Up to 8 writes are in flight at once, so the first few may go nearly alone; the rest waited for
  // them and share at most 50 per message (one message per intake would be 120).
  expect(messages.length).toBeLessThan(20);
  for (const m of messages)
    expect(((m as { intakes?: unknown[] }).intakes ?? [m]).length).toBeLessThanOrEqual(50);
});

it('splits a group where the next intake would not fit in a 64 KiB queue message', async () => {
  const sender = new StorageIntakeQueue(queue);
  const big = 'é'.repeat(10_000); // 20,000 bytes in UTF-8
  const sent = [intake(1, big), intake(2, big), intake(3, big), intake(4, big)];
  await Promise.all(sent.map((message) => sender.send(message)));
  const messages = await drain();
  const carried = messages.flatMap(
    (m) => ((m as { intakes?: IntakeMessage[] }).intakes ?? [m]) as IntakeMessage[]
  );
  expect(carried).toHaveLength(4);
  expect(messages.length).toBeGreaterThanOrEqual(3);
});

it('refuses an intake too large for any queue message, and sendAlone never groups', async () => {
  const sender = new StorageIntakeQueue(queue);
  await expect(sender.send(intake(1, 'x'.repeat(60_000)))).rejects.toThrow('does not fit in a queue message');
  await Promise.all([sender.sendAlone(intake(2)), sender.sendAlone(intake(3)), sender.sendAlone(intake(4))]);
  const messages = (await drain()) as IntakeMessage[];
  expect(messages.map((m) => m.orderId).sort()).toEqual(['o-2', 'o-3', 'o-4']);
});
