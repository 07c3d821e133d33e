import {
  pollDueProviders,
  pollInstance,
  pollLeaseMs,
  type PollProvidersDeps,
} from '../../shared/app/providers/poll-providers';
import { ProviderSettings } from '../../shared/app/providers/provider-settings';
import { ConflictError, PreconditionFailedError } from '../../shared/domain/errors';
import type { InboundMessage } from '../../shared/domain/providers/inbound-message';
import type { ProviderInstance } from '../../shared/domain/providers/provider-instance';
import type {
  OrderPoller,
  PolledMessage,
  PolledPage,
  PollPosition,
  ProviderPlugin,
} from '../../shared/ports/provider-plugins';
import type {
  InboundArchive,
  InboundQueue,
  PollCheckpoint,
  PollCheckpointStore,
  ProviderConfigRepository,
} from '../../shared/ports/providers';

// The poller engine against in-memory fakes of its ports: a run takes the instance's lease, queues
// each page's messages before its checkpoint moves past them, and ends storing only `since`.

const start = new Date('2025-03-01T10:00:00.000Z');

/** A clock the test moves. */
function fakeClock() {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** Checkpoints with ETags: a put at a stale ETag or a create over an existing one is refused. */
function fakeCheckpointStore(events: string[]) {
  const stored = new Map<string, { checkpoint: PollCheckpoint; etag: string }>();
  let version = 0;
  const store: PollCheckpointStore = {
    get: (instanceId) => {
      const found = stored.get(instanceId);
      return Promise.resolve(found && structuredClone(found));
    },
    put: (checkpoint, etag) => {
      const found = stored.get(checkpoint.instanceId);
      if (etag === undefined && found !== undefined) return Promise.reject(new ConflictError('exists'));
      if (etag !== undefined && found?.etag !== etag) {
        return Promise.reject(new PreconditionFailedError('changed'));
      }
      const next = { checkpoint: structuredClone(checkpoint), etag: `etag-${++version}` };
      stored.set(checkpoint.instanceId, next);
      events.push(`checkpoint ${JSON.stringify(checkpoint.position)}`);
      return Promise.resolve(next.etag);
    },
  };
  return { store, stored };
}

/** A queue that keeps what it was sent; `failOn(n)` makes the n-th sendAll (1-based) fail. */
function fakeQueue(events: string[]) {
  const sent: InboundMessage[] = [];
  let calls = 0;
  let failing: number | undefined;
  const queue: InboundQueue = {
    send: (message) => queue.sendAll([message]),
    sendAll: (messages) => {
      calls += 1;
      if (calls === failing) return Promise.reject(new Error('queue unavailable'));
      sent.push(...messages);
      events.push(`queued ${messages.map((m) => m.messageId).join(',')}`);
      return Promise.resolve();
    },
    sendAlone: (message) => queue.sendAll([message]),
  };
  return { queue, sent, failOn: (n: number) => (failing = n) };
}

function fakeArchive() {
  const blobs = new Map<string, string>();
  const archive: InboundArchive = {
    putIfAbsent: (name, text) => {
      if (!blobs.has(name)) blobs.set(name, text);
      return Promise.resolve(name);
    },
    get: (name) => Promise.resolve(blobs.get(name)),
  };
  return { archive, blobs };
}

/**
 * A poller over scripted pages: page n is served at cursor `c{n-1}` (page 1 with no cursor); the last
 * page ends the run with `since` = `highWater`. `failAt` makes the page at that number throw.
 */
function fakePoller(events: string[], pages: string[][], options: { acknowledge?: boolean } = {}) {
  const asked: PollPosition[] = [];
  let failAt: number | undefined;
  const poller: OrderPoller = {
    nextPage: (_connection, position) => {
      asked.push(structuredClone(position));
      const n = position.cursor === undefined ? 1 : Number(position.cursor.slice(1)) + 1;
      events.push(`page ${n}`);
      if (n === failAt) return Promise.reject(new Error(`page ${n} answered 500`));
      const ids = pages[n - 1]!;
      const messages: PolledMessage[] = ids.map((id) => ({
        messageType: 'order',
        messageId: id,
        text: JSON.stringify({ id }),
      }));
      const highWater = ids.at(-1) ?? position.highWater;
      const page: PolledPage =
        n === pages.length
          ? { messages, position: { since: highWater ?? position.since ?? 'none' } }
          : {
              messages,
              position: {
                ...(position.since === undefined ? {} : { since: position.since }),
                ...(highWater === undefined ? {} : { highWater }),
                cursor: `c${n}`,
              },
            };
      return Promise.resolve(page);
    },
    ...(options.acknowledge
      ? {
          acknowledge: (_connection, messages) => {
            events.push(`acknowledged ${messages.map((m) => m.messageId).join(',')}`);
            return Promise.resolve();
          },
        }
      : {}),
  };
  return { poller, asked, failAt: (n: number) => (failAt = n) };
}

function fakeConfigRepository(instances: ProviderInstance[]): ProviderConfigRepository {
  const none = () => Promise.reject(new Error('not used'));
  return {
    getInstance: (id) => Promise.resolve(instances.find((i) => i.id === id)),
    listInstances: () => Promise.resolve(instances),
    putInstance: none,
    getMappingGroup: none,
    listMappingGroups: () => Promise.resolve([]),
    putMappingGroup: none,
    getTransformation: none,
    listTransformations: () => Promise.resolve([]),
    putTransformation: none,
  };
}

const instance: ProviderInstance = {
  id: 'shop-1',
  provider: 'fake-shop',
  active: true,
  parameters: { polling: true, pollIntervalSeconds: 1 },
  secrets: {},
  createdAt: start.toISOString(),
  updatedAt: start.toISOString(),
};

function setup(pages: string[][], options: { acknowledge?: boolean; owner?: string } = {}) {
  const events: string[] = [];
  const clock = fakeClock();
  const checkpoints = fakeCheckpointStore(events);
  const queue = fakeQueue(events);
  const archive = fakeArchive();
  const poller = fakePoller(events, pages, options);
  const plugin = { definition: { id: 'fake-shop' }, poller: poller.poller } as unknown as ProviderPlugin;
  const deps: PollProvidersDeps = {
    plugins: { get: (id) => (id === 'fake-shop' ? plugin : undefined), all: () => [plugin] },
    settings: new ProviderSettings(fakeConfigRepository([instance]), clock),
    checkpoints: checkpoints.store,
    queue: queue.queue,
    archive: archive.archive,
    http: { request: () => Promise.reject(new Error('the fake poller makes no calls')) },
    hash: (text) => `h-${text}`,
    clock,
    owner: options.owner ?? 'worker-a',
    openShipments: (carriers) => {
      events.push(`open shipments of ${carriers.join(',')}`);
      return Promise.resolve([
        {
          fulfillmentOrderId: 'fo-1',
          carrier: 'FedEx',
          trackingNumber: '7946',
          shippedAt: start.toISOString(),
        },
      ]);
    },
  };
  const checkpoint = () => checkpoints.stored.get(instance.id)?.checkpoint;
  return { deps, events, clock, checkpoints, queue, archive, poller, checkpoint };
}

describe('a run', () => {
  it('queues each page, then acknowledges it, then stores the checkpoint past it', async () => {
    const { deps, events, queue } = setup([['o1', 'o2'], ['o3'], ['o4']], { acknowledge: true });

    const run = await pollInstance(deps, instance);

    expect(run).toEqual({ instanceId: 'shop-1', outcome: 'polled', pages: 3, messages: 4 });
    expect(events).toEqual([
      'checkpoint {}', // the lease
      'page 1',
      'queued o1,o2',
      'acknowledged o1,o2',
      'checkpoint {"highWater":"o2","cursor":"c1"}',
      'page 2',
      'queued o3',
      'acknowledged o3',
      'checkpoint {"highWater":"o3","cursor":"c2"}',
      'page 3',
      'queued o4',
      'acknowledged o4',
      'checkpoint {"since":"o4"}',
    ]);
    expect(queue.sent.map((m) => [m.instanceId, m.messageType, m.messageId, m.via, m.body])).toEqual([
      ['shop-1', 'order', 'o1', 'poll', '{"id":"o1"}'],
      ['shop-1', 'order', 'o2', 'poll', '{"id":"o2"}'],
      ['shop-1', 'order', 'o3', 'poll', '{"id":"o3"}'],
      ['shop-1', 'order', 'o4', 'poll', '{"id":"o4"}'],
    ]);
  });

  it('ends storing `since` only, the lease given up and the end time and counts recorded', async () => {
    const { deps, clock, checkpoint } = setup([['o1'], ['o2']]);
    clock.advance(5);

    await pollInstance(deps, instance);

    expect(checkpoint()).toEqual({
      instanceId: 'shop-1',
      position: { since: 'o2' },
      lastRunStartedAt: '2025-03-01T10:00:00.005Z',
      lastRunEndedAt: '2025-03-01T10:00:00.005Z',
      pages: 2,
      messages: 2,
    });
  });

  it('renews the lease with every page it stores', async () => {
    const { deps, clock, checkpoints } = setup([['o1'], ['o2'], ['o3']]);
    const leases: (string | undefined)[] = [];
    const put = checkpoints.store.put.bind(checkpoints.store);
    checkpoints.store.put = (checkpoint, etag) => {
      leases.push(checkpoint.leaseUntil);
      clock.advance(1000);
      return put(checkpoint, etag);
    };

    await pollInstance(deps, instance);

    const at = (ms: number) => new Date(start.getTime() + ms + pollLeaseMs).toISOString();
    expect(leases).toEqual([at(0), at(1000), at(2000), undefined]);
  });

  it('next starts where the last ended: `since` from the checkpoint, no cursor', async () => {
    const { deps, clock, poller } = setup([['o1']]);
    await pollInstance(deps, instance);
    clock.advance(1000);

    await pollInstance(deps, instance);

    expect(poller.asked).toEqual([{}, { since: 'o1' }]);
  });

  it('archives a message too large for the queue and queues its archive name', async () => {
    const { deps, queue, archive } = setup([['o1']]);
    const big = 'x'.repeat(20_000);
    const poller = deps.plugins.get('fake-shop')!.poller!;
    const nextPage = poller.nextPage.bind(poller);
    poller.nextPage = async (...args) => {
      const page = await nextPage(...args);
      return { ...page, messages: [{ messageType: 'order', messageId: 'o1', text: big }] };
    };

    await pollInstance(deps, instance);

    expect(queue.sent).toEqual([expect.objectContaining({ messageId: 'o1', archived: 'shop-1/h-o1.json' })]);
    expect(queue.sent[0]!.body).toBeUndefined();
    expect(archive.blobs.get('shop-1/h-o1.json')).toBe(big);
  });
});

describe('a tracking poller', () => {
  it('gets the open shipments of its carriers once per run, the same list for every page', async () => {
    const { deps, events, poller } = setup([['o1'], ['o2']]);
    const seen: unknown[] = [];
    const nextPage = poller.poller.nextPage.bind(poller.poller);
    poller.poller.tracksCarriers = ['fedex'];
    poller.poller.nextPage = (connection, position, http, now, shipments) => {
      seen.push(shipments);
      return nextPage(connection, position, http, now);
    };

    await pollInstance(deps, instance);

    expect(events.filter((e) => e.startsWith('open shipments'))).toEqual(['open shipments of fedex']);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual([
      {
        fulfillmentOrderId: 'fo-1',
        carrier: 'FedEx',
        trackingNumber: '7946',
        shippedAt: start.toISOString(),
      },
    ]);
    expect(seen[1]).toBe(seen[0]);
  });

  it('is not asked for open shipments when it tracks no carrier', async () => {
    const { deps, events } = setup([['o1']]);
    await pollInstance(deps, instance);
    expect(events.some((e) => e.startsWith('open shipments'))).toBe(false);
  });
});

describe('the lease', () => {
  it('is refused while another worker holds it: nothing is polled', async () => {
    const { deps, checkpoints, poller, events, checkpoint } = setup([['o1']]);
    await checkpoints.store.put({
      instanceId: 'shop-1',
      position: { cursor: 'c3' },
      leaseOwner: 'worker-b',
      leaseUntil: new Date(start.getTime() + 1).toISOString(),
    });
    events.length = 0;

    const run = await pollInstance(deps, instance);

    expect(run.outcome).toBe('busy');
    expect(poller.asked).toEqual([]);
    expect(events).toEqual([]);
    expect(checkpoint()?.leaseOwner).toBe('worker-b');
  });

  it('is taken over once it has run out, the run resuming at the stored cursor', async () => {
    const { deps, checkpoints, poller, checkpoint } = setup([['o1'], ['o2'], ['o3'], ['o4']]);
    await checkpoints.store.put({
      instanceId: 'shop-1',
      position: { since: 's0', highWater: 'o2', cursor: 'c2' },
      leaseOwner: 'worker-b',
      leaseUntil: start.toISOString(),
      pages: 2,
      messages: 2,
    });

    const run = await pollInstance(deps, instance);

    expect(run).toMatchObject({ outcome: 'polled', pages: 2, messages: 2 });
    expect(poller.asked[0]).toEqual({ since: 's0', highWater: 'o2', cursor: 'c2' });
    expect(checkpoint()).toMatchObject({ position: { since: 'o4' } });
    expect(checkpoint()?.leaseOwner).toBeUndefined();
  });

  it('is refused when another worker stores the checkpoint between our read and our write', async () => {
    const { deps, checkpoints, poller } = setup([['o1']]);
    await checkpoints.store.put({ instanceId: 'shop-1', position: {} });
    const get = checkpoints.store.get.bind(checkpoints.store);
    checkpoints.store.get = async (id) => {
      const found = await get(id);
      const current = (await get(id))!;
      await checkpoints.store.put({ ...current.checkpoint, leaseOwner: 'worker-b' }, current.etag);
      return found;
    };

    expect((await pollInstance(deps, instance)).outcome).toBe('busy');
    expect(poller.asked).toEqual([]);
  });

  it('is refused when another worker creates the first checkpoint between our read and our write', async () => {
    const { deps, checkpoints, poller } = setup([['o1']]);
    const get = checkpoints.store.get.bind(checkpoints.store);
    checkpoints.store.get = async (id) => {
      const found = await get(id);
      await checkpoints.store.put({ instanceId: 'shop-1', position: {}, leaseOwner: 'worker-b' });
      return found;
    };

    expect((await pollInstance(deps, instance)).outcome).toBe('busy');
    expect(poller.asked).toEqual([]);
  });
});

describe('a failure', () => {
  it('to queue a page leaves the checkpoint before that page, records lastError and releases the lease', async () => {
    const { deps, queue, events, checkpoint } = setup([['o1'], ['o2'], ['o3']], { acknowledge: true });
    queue.failOn(2);

    const run = await pollInstance(deps, instance);

    expect(run).toEqual({
      instanceId: 'shop-1',
      outcome: 'failed',
      pages: 1,
      messages: 1,
      error: 'queue unavailable',
    });
    expect(events.filter((e) => !e.startsWith('checkpoint'))).toEqual([
      'page 1',
      'queued o1',
      'acknowledged o1',
      'page 2',
    ]);
    expect(checkpoint()).toMatchObject({
      position: { highWater: 'o1', cursor: 'c1' },
      lastError: 'queue unavailable',
    });
    expect(checkpoint()?.leaseOwner).toBeUndefined();
    expect(checkpoint()?.leaseUntil).toBeUndefined();
  });

  it('to read a page records lastError and releases the lease; the next run retries that page and clears the error', async () => {
    const { deps, poller, clock, checkpoint } = setup([['o1'], ['o2'], ['o3']]);
    poller.failAt(2);

    const failed = await pollInstance(deps, instance);

    expect(failed).toMatchObject({ outcome: 'failed', pages: 1, error: 'page 2 answered 500' });
    expect(checkpoint()).toMatchObject({
      position: { highWater: 'o1', cursor: 'c1' },
      lastError: 'page 2 answered 500',
    });
    expect(checkpoint()?.leaseOwner).toBeUndefined();

    poller.failAt(0);
    clock.advance(1);
    const retried = await pollInstance(deps, instance);

    expect(retried).toMatchObject({ outcome: 'polled', pages: 2, messages: 2 });
    expect(poller.asked.slice(1).map((p) => p.cursor)).toEqual(['c1', 'c1', 'c2']);
    expect(checkpoint()?.position).toEqual({ since: 'o3' });
    expect(checkpoint()?.lastError).toBeUndefined();
  });
});

describe('pollDueProviders', () => {
  it('polls an instance once its interval has passed since its last run started', async () => {
    const { deps, clock, poller } = setup([['o1']]);

    expect((await pollDueProviders(deps)).map((r) => r.outcome)).toEqual(['polled']);
    clock.advance(999);
    expect(await pollDueProviders(deps)).toEqual([]);
    clock.advance(1);
    expect((await pollDueProviders(deps)).map((r) => r.outcome)).toEqual(['polled']);
    expect(poller.asked).toHaveLength(2);
  });
});
