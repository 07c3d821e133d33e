import type { JourneySignal } from '../../../shared/ports/journey-signals';
import { createQueuedOrders, type CreateQueuedOrdersDeps } from '../../../shared/app/intake/create-order';
import { recordInboundError } from '../../../shared/app/error-lists/record-inbound-error';
import type { ErrorEntry } from '../../../shared/domain/error-lists/error-entry';
import type { Order, OrderIntake } from '../../../shared/domain/orders/order';
import type { ErrorListRepository } from '../../../shared/ports/error-lists';
import type { IntakeMessage, OrderRepository } from '../../../shared/ports/orders';

// How the intake consumer treats a grouped queue message ({intakes: [...]}, IntakeQueue.send).

const intakeBody = (externalId: string): string =>
  JSON.stringify({
    externalId,
    currency: 'USD',
    customer: {},
    shipTo: { postalCode: '98052', country: 'US' },
    lines: [{ sku: 'A', quantity: 2 }],
  });

function world(failOn: ReadonlySet<string> = new Set()) {
  const stored = new Map<string, Order>();
  const archived = new Map<string, string>();
  const requeued: IntakeMessage[] = [];
  /** The order ids of each call to the meter. */
  const counted: string[][] = [];
  const signals: JourneySignal[] = [];
  const published: string[] = [];
  /** The intakes counted as received, by id (a duplicate as `dup:{id}`), each once as the store keeps them. */
  const received = new Set<string>();
  const orders: Pick<OrderRepository, 'createWithTimeline' | 'get'> = {
    createWithTimeline: (order) => {
      if (failOn.has(order.orderId)) return Promise.reject(new Error(`Cosmos said no to ${order.orderId}`));
      if (stored.has(order.orderId)) return Promise.resolve('exists');
      stored.set(order.orderId, order);
      return Promise.resolve('created');
    },
    get: (orderId) => Promise.resolve(stored.get(orderId)),
  };
  const deps: CreateQueuedOrdersDeps = {
    validate: (input) => input as OrderIntake,
    archive: {
      putIfAbsent: (orderId, body) => {
        if (!archived.has(`${orderId}.json`)) archived.set(`${orderId}.json`, body);
        return Promise.resolve(`${orderId}.json`);
      },
      putGroupIfAbsent: (intakes) => {
        const name = `groups/${intakes[0]!.orderId}.json`;
        if (!archived.has(name)) archived.set(name, JSON.stringify({ intakes }));
        return Promise.resolve(name);
      },
      get: (orderId) => Promise.resolve(archived.get(`${orderId}.json`)),
    },
    orders: orders as OrderRepository,
    clock: { now: () => new Date('2026-11-27T12:00:00Z') },
    meter: {
      count: (usage) => {
        counted.push([usage.orderId]);
        return Promise.resolve('counted');
      },
      countAll: (usages) => {
        counted.push(usages.map((usage) => usage.orderId));
        return Promise.resolve();
      },
      months: () => Promise.resolve([]),
    },
    requeue: (message) => {
      requeued.push(message);
      return Promise.resolve();
    },
    counters: {
      addOnce: (intakes) => {
        for (const { id, duplicate } of intakes) received.add(duplicate ? `dup:${id}` : id);
        return Promise.resolve();
      },
    },
    journeyFor: (orderId) =>
      Promise.resolve({ instanceId: `order:${orderId}:default`, journeyId: 'default', version: 1 }),
    signals: {
      send: (sent) => {
        signals.push(...sent);
        return Promise.resolve();
      },
    },
    publisher: {
      publish: (events) => {
        published.push(...events.map((e) => `${e.type}:${e.subject}`));
        return Promise.resolve();
      },
    },
  };
  return { deps, stored, archived, requeued, counted, signals, published, received };
}

const intake = (n: number): IntakeMessage => ({
  orderId: `o-${n}`,
  intakeKey: `k-${n}`,
  body: intakeBody(`x-${n}`),
});

it('creates every intake of a group, archiving the group as queued, once', async () => {
  const { deps, stored, archived, counted, signals } = world();
  const group = { intakes: [1, 2, 3].map(intake) };
  expect(await createQueuedOrders(deps, group)).toEqual(['created', 'created', 'created']);
  expect(counted).toEqual([['o-1', 'o-2', 'o-3']]);
  expect([...stored.keys()].sort()).toEqual(['o-1', 'o-2', 'o-3']);
  expect(stored.get('o-2')!.externalId).toBe('x-2');
  expect([...archived.keys()]).toEqual(['groups/o-1.json']);
  expect(JSON.parse(archived.get('groups/o-1.json')!)).toEqual(group);
  for (const order of stored.values()) expect(order.intakeArchive).toBe('groups/o-1.json');
  expect(stored.get('o-1')!.journey).toEqual({
    instanceId: 'order:o-1:default',
    journeyId: 'default',
    version: 1,
  });
  expect(signals.map((s) => (s.kind === 'start' ? s.journey.instanceId : s.kind))).toEqual([
    'order:o-1:default',
    'order:o-2:default',
    'order:o-3:default',
  ]);
});

it('publishes New Order and starts the journey again when a redelivery finds the order stored', async () => {
  const { deps, signals, published } = world();
  await createQueuedOrders(deps, intake(5));
  await createQueuedOrders(deps, intake(5));
  expect(signals).toHaveLength(2);
  expect(new Set(signals.map((s) => (s.kind === 'start' ? s.journey.instanceId : '')))).toEqual(
    new Set(['order:o-5:default'])
  );
  expect(published).toHaveLength(2);
});

it('counts each intake handled as received, a duplicate by its own id, and not one requeued', async () => {
  const { deps, received } = world(new Set(['o-2']));
  const duplicate: IntakeMessage = { ...intake(1), duplicateId: 'o-9' };
  await createQueuedOrders(deps, { intakes: [intake(1), intake(2), intake(3), duplicate] });
  expect([...received].sort()).toEqual(['dup:o-9', 'o-1', 'o-3']);
  await createQueuedOrders(deps, intake(4));
  expect(received.has('o-4')).toBe(true);
});

it('archives a lone intake on its own and names the record on the order', async () => {
  const { deps, stored, archived } = world();
  expect(await createQueuedOrders(deps, intake(4))).toEqual(['created']);
  expect(archived.get('o-4.json')).toBe(intakeBody('x-4'));
  expect(stored.get('o-4')!.intakeArchive).toBe('o-4.json');
});

it('queues a failing intake again alone and does not redo the others', async () => {
  const { deps, stored, requeued, counted } = world(new Set(['o-2']));
  const group = { intakes: [1, 2, 3].map(intake) };
  expect(await createQueuedOrders(deps, group)).toEqual(['created', 'requeued', 'created']);
  expect(counted).toEqual([['o-1', 'o-3']]);
  expect([...stored.keys()].sort()).toEqual(['o-1', 'o-3']);
  expect(requeued).toEqual([intake(2)]);
});

it('gives a group back to the host when re-queuing fails, and a redelivery creates nothing twice', async () => {
  const { deps, stored } = world(new Set(['o-2']));
  const failingRequeue = { ...deps, requeue: () => Promise.reject(new Error('queue unavailable')) };
  const group = { intakes: [1, 2, 3].map(intake) };
  await expect(createQueuedOrders(failingRequeue, group)).rejects.toThrow('queue unavailable');
  expect(await createQueuedOrders(deps, group)).toEqual(['exists', 'requeued', 'exists']);
  expect(stored.size).toBe(2);
});

it('throws for a lone intake that fails, so the host retries it', async () => {
  const { deps, requeued } = world(new Set(['o-1']));
  await expect(createQueuedOrders(deps, intake(1))).rejects.toThrow('Cosmos said no to o-1');
  expect(requeued).toEqual([]);
});

it('reads the archive for an intake queued without its body', async () => {
  const { deps, stored } = world();
  await deps.archive.putIfAbsent('o-9', intakeBody('x-9'));
  expect(await createQueuedOrders(deps, { orderId: 'o-9', intakeKey: 'k-9' })).toEqual(['created']);
  expect(stored.get('o-9')!.externalId).toBe('x-9');
  expect(stored.get('o-9')!.intakeArchive).toBeUndefined();
});

it('puts each intake of a poisoned group on the error list on its own, resubmittable alone', async () => {
  const { deps } = world();
  const entries = new Map<string, ErrorEntry>();
  const errors = {
    create: (entry: ErrorEntry) => {
      if (entries.has(entry.id)) return Promise.resolve('exists' as const);
      entries.set(entry.id, entry);
      return Promise.resolve('created' as const);
    },
  } as unknown as ErrorListRepository;
  const bad: IntakeMessage = { orderId: 'o-2', intakeKey: 'k-2', body: '{"externalId":' };
  const failed = {
    queue: 'order-intake',
    messageId: 'm-1',
    message: { intakes: [intake(1), bad] },
    attempts: 5,
  };
  const recordDeps = { ...deps, errors };
  expect(await recordInboundError(recordDeps, failed)).toBe('recorded');
  expect(await recordInboundError(recordDeps, failed)).toBe('exists');
  expect([...entries.keys()]).toEqual(['order-intake.m-1.0', 'order-intake.m-1.1']);
  const second = entries.get('order-intake.m-1.1')!;
  expect(second.orderId).toBe('o-2');
  expect(second.message).toBe('The queued intake body of order o-2 is not valid JSON.');
  expect(JSON.parse(second.payload!)).toEqual(bad);
});
