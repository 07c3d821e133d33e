import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { startSmtpCatcher, type SmtpAnswer, type SmtpCatcher } from '../../infra/local/smtp-catcher';
import { SmtpSender } from '../../shared/adapters/email/smtp-sender';
import { StorageEmailDeliveryQueue } from '../../shared/adapters/storage/email-delivery-queue';
import {
  deliverEmail,
  recordUndeliveredEmail,
  type DeliverEmailDeps,
} from '../../shared/app/email/deliver-email';
import { queueEmail } from '../../shared/app/email/queue-email';
import { sweepOutbox } from '../../shared/app/email/sweep-outbox';
import { deliverEmailDeps, getOutbox, queueEmailDeps } from '../../shared/app/email/wiring';
import { getCosmosDatabase, getStorageClients, setClock } from '../../shared/app/platform/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import { deliveryMessageId } from '../../shared/domain/email/email-delivery';
import type { OutboxMessage } from '../../shared/domain/email/outbox-message';

// The SMTP sender and the delivery consumer against a real SMTP server (the local catcher, started
// here and told how to answer) and the embedded Cosmos server of the global setup.

let now = new Date('2026-03-02T09:00:00.000Z');
const saved = { ...process.env };
let catcher: SmtpCatcher;
/** How the server answers each mail; accepts unless a test says otherwise. */
let answer: SmtpAnswer = () => undefined;

beforeAll(async () => {
  catcher = await startSmtpCatcher({ answer: (mail, index) => answer(mail, index) });
  process.env = {
    ...saved,
    COSMOS_DATABASE: `it-email-delivery-${randomUUID()}`,
    SMTP_URL: `smtp://127.0.0.1:${catcher.port}`,
    SMTP_FROM: 'Shop <orders@shop.example>',
  };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
});

afterEach(() => {
  answer = () => undefined;
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
  await catcher.close();
});

/** An outbox message of a new order, stored (without going on the shared delivery queue). */
async function queued(subject = `Order ${randomUUID().slice(0, 8)} confirmed`): Promise<OutboxMessage> {
  const orderId = randomUUID();
  return queueEmail(
    { ...(await queueEmailDeps()), delivery: undefined },
    {
      key: `${orderId}:confirm`,
      orderId,
      templateId: 'order-confirmation',
      model: {
        order: {
          externalId: subject,
          customer: { email: 'ann@example.com', name: 'Ann & Bob' },
          lines: [{ sku: 'SHOE', quantity: 2 }],
        },
      },
    }
  );
}

const mailsTo = (message: OutboxMessage) =>
  catcher.mails.filter((m) => m.messageId === deliveryMessageId(message, 'orders@shop.example'));

const stored = async (message: OutboxMessage) =>
  (await (await getOutbox()).get(message.orderId, message.id))!;

const ref = (message: OutboxMessage) => ({ orderId: message.orderId, id: message.id });

it('sends the message once: subject, text, escaped HTML and its Message-ID; marked sent', async () => {
  const message = await queued('WEB-1');
  const deps = await deliverEmailDeps();
  expect((await deliverEmail(deps, ref(message))).outcome).toBe('sent');

  const [mail, ...more] = mailsTo(message);
  expect(more).toEqual([]);
  expect(mail).toMatchObject({
    from: 'orders@shop.example',
    to: ['ann@example.com'],
    subject: 'Order WEB-1 confirmed',
    messageId: deliveryMessageId(message, 'orders@shop.example'),
  });
  expect(mail!.text).toContain('Hello Ann & Bob,');
  expect(mail!.text).toContain('- 2 x SHOE');
  expect(mail!.html).toContain('Hello Ann &amp; Bob,');
  expect(mail!.html).toContain('<li>2 x SHOE</li>');

  expect(await stored(message)).toMatchObject({
    status: 'sent',
    sentAt: now.toISOString(),
    attempts: 1,
    messageId: mail!.messageId,
    smtpResponse: expect.stringMatching(/^250 /),
  });

  // A duplicate queue message sends nothing.
  expect((await deliverEmail(deps, ref(message))).outcome).toBe('final');
  expect(mailsTo(message)).toHaveLength(1);
});

it('tries again after a 4xx answer and then sends exactly one mail', async () => {
  const message = await queued();
  let refused = false;
  answer = (mail) => {
    if (mail.subject !== message.subject || refused) return undefined;
    refused = true;
    return { code: 451, message: 'Try again later' };
  };
  const deps = await deliverEmailDeps();
  await expect(deliverEmail(deps, ref(message))).rejects.toThrow(/451/);
  expect(await stored(message)).toMatchObject({
    status: 'queued',
    attempts: 1,
    lastError: expect.stringMatching(/451/),
  });
  expect(mailsTo(message)).toHaveLength(0);

  expect((await deliverEmail(deps, ref(message))).outcome).toBe('sent');
  expect(mailsTo(message)).toHaveLength(1);
  expect(await stored(message)).toMatchObject({ status: 'sent', attempts: 2 });
});

it('marks a message the server rejects with 5xx failed at once', async () => {
  const message = await queued();
  answer = (mail) => (mail.subject === message.subject ? { code: 550, message: 'No such user' } : undefined);
  const answered = await deliverEmail(await deliverEmailDeps(), ref(message));
  expect(answered.outcome).toBe('rejected');
  expect(await stored(message)).toMatchObject({
    status: 'failed',
    attempts: 1,
    statusReason: expect.stringMatching(new RegExp(`rejected by smtp://127.0.0.1:${catcher.port}: .*550`)),
  });
  expect(mailsTo(message)).toHaveLength(0);
  expect((await deliverEmail(await deliverEmailDeps(), ref(message))).outcome).toBe('final');
});

it('a refused connection is retried; after the last delivery the poison consumer marks it failed; no password shows', async () => {
  const message = await queued();
  const closed = await startSmtpCatcher();
  await closed.close();
  const deps: DeliverEmailDeps = {
    ...(await deliverEmailDeps()),
    smtp: {
      sender: new SmtpSender(`smtp://mailer:pw-very-secret@127.0.0.1:${closed.port}`),
      from: 'orders@shop.example',
      server: `smtp://127.0.0.1:${closed.port}`,
    },
  };
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    await expect(deliverEmail(deps, ref(message))).rejects.toThrow(/ECONNREFUSED|connect/i);
  }
  const retried = await stored(message);
  expect(retried).toMatchObject({
    status: 'queued',
    attempts: 2,
    lastError: expect.stringMatching(/ECONNREFUSED/),
  });
  expect(JSON.stringify(retried)).not.toContain('pw-very-secret');

  const poisoned = await recordUndeliveredEmail(deps, ref(message), 5);
  expect(poisoned.outcome).toBe('rejected');
  expect(await stored(message)).toMatchObject({
    status: 'failed',
    statusReason: expect.stringMatching(/^gave up after 5 deliveries: .*ECONNREFUSED/),
  });
  // A sent message stays sent whatever the poison queue says.
  const sent = await queued();
  await deliverEmail(await deliverEmailDeps(), ref(sent));
  expect((await recordUndeliveredEmail(deps, ref(sent), 5)).outcome).toBe('final');
  expect((await stored(sent)).status).toBe('sent');
});

it('a server that never greets fails the attempt within the time limit, as a transient failure', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const sender = new SmtpSender(`smtp://127.0.0.1:${port}`, {
    connectionMs: 500,
    greetingMs: 500,
    socketMs: 500,
  });
  const started = Date.now();
  await expect(
    sender.send({ messageId: '<m@x>', from: 'a@x.example', to: 'b@x.example', subject: 's', text: 't' })
  ).rejects.toThrow(/greeting|timeout/i);
  expect(Date.now() - started).toBeLessThan(5000);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

it('a refused login is tried again, not a rejection of the message, and its error shows no password', async () => {
  const strict = await startSmtpCatcher({ refuseLogin: true });
  const sender = new SmtpSender(`smtp://mailer:pw-very-secret@127.0.0.1:${strict.port}`);
  try {
    const error = await sender
      .send({ messageId: '<m@x>', from: 'a@x.example', to: 'b@x.example', subject: 's', text: 't' })
      .then(
        () => undefined,
        (err: Error) => err
      );
    expect(error?.message).toMatch(/535/);
    expect(error?.message).not.toContain('pw-very-secret');
    expect(strict.mails).toEqual([]);
  } finally {
    sender.close();
    await strict.close();
  }
});

it('leaves a fresh claim to its worker and takes over one whose worker died', async () => {
  const message = await queued();
  const outbox = await getOutbox();
  const found = (await outbox.getForUpdate(message.orderId, message.id))!;
  const claimedAt = now.toISOString();
  await outbox.replaceIfMatch({ ...found.message, status: 'sending', claimedAt, attempts: 1 }, found.etag);

  const deps = await deliverEmailDeps();
  expect((await deliverEmail(deps, ref(message))).outcome).toBe('claimed');
  expect(mailsTo(message)).toHaveLength(0);
  now = new Date(now.getTime() + 6 * 60_000);
  expect((await deliverEmail(deps, ref(message))).outcome).toBe('sent');
  expect(await stored(message)).toMatchObject({ status: 'sent', attempts: 2 });
  expect(mailsTo(message)).toHaveLength(1);
});

it('the sweep queues again what lingers queued a minute or under a dead claim, and nothing else', async () => {
  const queueName = `email-delivery-it-${randomUUID().slice(0, 8)}`;
  const queueClient = getStorageClients().queues.getQueueClient(queueName);
  const delivery = new StorageEmailDeliveryQueue(queueClient);
  const deps = { outbox: await getOutbox(), delivery, clock: { now: () => now } };
  const lingering = await queued();
  const sent = await queued();
  await deliverEmail(await deliverEmailDeps(), ref(sent));
  // Other tests' messages in this database were sent or failed already; this one is fresh.
  // A worker claimed this one ten minutes ago and died.
  const dead = await queued();
  const outbox = await getOutbox();
  const found = (await outbox.getForUpdate(dead.orderId, dead.id))!;
  await outbox.replaceIfMatch(
    { ...found.message, status: 'sending', claimedAt: now.toISOString() },
    found.etag
  );
  // A worker claimed this one a moment ago and is sending it.
  now = new Date(now.getTime() + 10 * 60_000);
  const live = await queued();
  const liveFound = (await outbox.getForUpdate(live.orderId, live.id))!;
  await outbox.replaceIfMatch(
    { ...liveFound.message, status: 'sending', claimedAt: now.toISOString(), queuedAt: now.toISOString() },
    liveFound.etag
  );
  now = new Date(now.getTime() + 30_000);
  const fresh = await queued();

  now = new Date(now.getTime() + 45_000);
  const first = await sweepOutbox(deps);
  const received = await queueClient.receiveMessages({ numberOfMessages: 32 });
  const refs = received.receivedMessageItems.map(
    (m) =>
      JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as { id: string; orderId: string }
  );
  expect(refs).toContainEqual(ref(lingering));
  expect(refs).toContainEqual(ref(dead));
  expect(refs).not.toContainEqual(ref(live));
  expect(refs).not.toContainEqual(ref(sent));
  expect(refs).not.toContainEqual(ref(fresh));
  expect(first.requeued).toBe(refs.length);
  expect((await stored(lingering)).queuedAt).toBe(now.toISOString());

  // Twenty seconds on: `lingering` was queued again just now, `fresh` is now over a minute old.
  now = new Date(now.getTime() + 20_000);
  const second = await sweepOutbox(deps);
  expect(second.requeued).toBe(1);
  const again = await queueClient.receiveMessages({ numberOfMessages: 32 });
  expect(
    again.receivedMessageItems.map(
      (m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as unknown
    )
  ).toEqual([ref(fresh)]);
  await queueClient.delete();
});

it('drops a malformed queue message instead of retrying it', async () => {
  expect(await deliverEmail(await deliverEmailDeps(), { orderId: 5 })).toMatchObject({ outcome: 'invalid' });
  expect(await recordUndeliveredEmail(await deliverEmailDeps(), 'not json', 5)).toMatchObject({
    outcome: 'invalid',
  });
});

it('without SMTP_URL nothing is sent and the sweep queues nothing', async () => {
  const message = await queued();
  const deps = { ...(await deliverEmailDeps()), smtp: undefined };
  expect((await deliverEmail(deps, ref(message))).outcome).toBe('not-configured');
  expect((await stored(message)).status).toBe('queued');
  expect(
    await sweepOutbox({ outbox: await getOutbox(), delivery: undefined, clock: { now: () => now } })
  ).toEqual({
    requeued: 0,
  });
});
