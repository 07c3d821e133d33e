import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newExecutionState } from '../../durable/episode';
import { EventType, type HistoryEvent } from '../../durable/history';
import { JournaledTaskHubStore } from '../../durable/journaled-store';
import {
  StoreConflictError,
  type ExecutionCheckpoint,
  type InstanceRecord,
  type QueueName,
} from '../../durable/task-hub-store';

// The task hub store's promise is that what it acknowledged is there after a reopen, however the
// process ended, and that the queues behave like Azure Storage queues meanwhile.
let directory: string;
const open: JournaledTaskHubStore[] = [];

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'journaled-store-'));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close().catch(() => undefined)));
  fs.rmSync(directory, { recursive: true, force: true });
});

async function openStore(snapshotBytes?: number): Promise<JournaledTaskHubStore> {
  const store = new JournaledTaskHubStore({ directory, hubName: 'hub', fsync: false, snapshotBytes });
  open.push(store);
  await store.init();
  return store;
}

/** Closes `store` and opens the same directory again, as a restart does. */
async function reopen(store: JournaledTaskHubStore, snapshotBytes?: number): Promise<JournaledTaskHubStore> {
  await store.close();
  open.splice(open.indexOf(store), 1);
  return openStore(snapshotBytes);
}

function instance(instanceId: string, overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId,
    name: 'orchestrator',
    executionId: `${instanceId}-e1`,
    runtimeStatus: 'Pending',
    input: '"in"',
    output: 'null',
    customStatus: 'null',
    createdTime: '2026-01-01T00:00:00.000Z',
    lastUpdatedTime: '2026-01-01T00:00:00.000Z',
    state: newExecutionState(),
    historyCount: 0,
    ...overrides,
  };
}

function event(id: number): HistoryEvent {
  return {
    EventType: EventType.TaskScheduled,
    EventId: id,
    IsPlayed: false,
    Timestamp: '2026-01-01T00:00:00Z',
    Name: `a${id}`,
  };
}

function checkpoint(
  historyCount: number,
  runtimeStatus: ExecutionCheckpoint['runtimeStatus'] = 'Running'
): ExecutionCheckpoint {
  return {
    state: { ...newExecutionState(), nextId: historyCount },
    historyCount,
    runtimeStatus,
    output: 'null',
    customStatus: 'null',
    lastUpdatedTime: '2026-01-01T00:00:01.000Z',
  };
}

/** Everything a reader of the store can see, for comparing before and after a reopen. */
async function contents(store: JournaledTaskHubStore, executions: [string, string][]) {
  const { items } = await store.listInstances({ pageSize: 1000 });
  const histories = await Promise.all(executions.map(([i, e]) => store.readExecution(i, e)));
  // Receiving leases the messages, so the queues are read last and only to compare.
  const queue = async (name: QueueName) =>
    (await store.receive<unknown>(name, 1000, 60)).map(({ messageId, body }) => ({ messageId, body }));
  return { items, histories, control: await queue('control'), workItems: await queue('workItems') };
}

describe('instances', () => {
  it('creates once: a second create of the same id is a 409', async () => {
    const store = await openStore();
    const etag = await store.createInstance(instance('i1'));
    expect(etag).toEqual(expect.any(String));
    await expect(store.createInstance(instance('i1'))).rejects.toEqual(
      expect.objectContaining({ statusCode: 409 }) as StoreConflictError
    );
    expect(await store.readInstance('i1')).toEqual({ ...instance('i1'), etag });
  });

  it('writes with an etag only if nobody wrote since (412 otherwise); without one, always', async () => {
    const store = await openStore();
    const first = await store.createInstance(instance('i1'));
    const second = await store.writeInstance(instance('i1', { runtimeStatus: 'Running' }), first);
    expect(second).not.toBe(first);
    const stale = store.writeInstance(instance('i1', { runtimeStatus: 'Completed' }), first);
    await expect(stale).rejects.toBeInstanceOf(StoreConflictError);
    await expect(stale).rejects.toEqual(expect.objectContaining({ statusCode: 412 }) as StoreConflictError);
    expect((await store.readInstance('i1'))?.runtimeStatus).toBe('Running');
    await store.writeInstance(instance('i1', { runtimeStatus: 'Failed' }));
    expect((await store.readInstance('i1'))?.runtimeStatus).toBe('Failed');
  });

  it('keeps etags unique across a reopen, so a writer holding an old one still loses', async () => {
    let store = await openStore();
    const first = await store.createInstance(instance('i1'));
    const second = await store.writeInstance(instance('i1'), first);
    store = await reopen(store);
    expect((await store.readInstance('i1'))?.etag).toBe(second);
    await expect(store.writeInstance(instance('i1'), first)).rejects.toBeInstanceOf(StoreConflictError);
    const third = await store.writeInstance(instance('i1'), second);
    expect([first, second]).not.toContain(third);
  });

  it('deletes, and the delete survives a reopen', async () => {
    let store = await openStore();
    await store.createInstance(instance('i1'));
    await store.createInstance(instance('i2'));
    await store.deleteInstance('i1');
    await store.deleteInstance('never-there');
    store = await reopen(store);
    expect(await store.readInstance('i1')).toBeUndefined();
    expect((await store.listInstances({ pageSize: 10 })).items.map((r) => r.instanceId)).toEqual(['i2']);
    await store.createInstance(instance('i1'));
  });

  it('does not hand out its own records: changing what was read or written changes nothing stored', async () => {
    const store = await openStore();
    const record = instance('i1');
    await store.createInstance(record);
    record.runtimeStatus = 'Failed';
    const read = await store.readInstance('i1');
    read!.runtimeStatus = 'Terminated';
    expect((await store.readInstance('i1'))?.runtimeStatus).toBe('Pending');
  });
});

describe('executions', () => {
  it('reads only the history the checkpoint counts, and a later episode overwrites from its start', async () => {
    let store = await openStore();
    await store.commitEpisode('i1', 'e1', 0, [event(0), event(1)], checkpoint(2));
    expect(await store.readExecution('i1', 'e1')).toEqual({
      history: [event(0), event(1)],
      checkpoint: checkpoint(2),
    });
    // An episode whose commit is retried from row 1 replaces what was there from row 1 on.
    await store.commitEpisode('i1', 'e1', 1, [event(5), event(6)], checkpoint(3, 'Completed'));
    store = await reopen(store);
    expect(await store.readExecution('i1', 'e1')).toEqual({
      history: [event(0), event(5), event(6)],
      checkpoint: checkpoint(3, 'Completed'),
    });
    expect(await store.readCheckpoint('i1', 'e1')).toEqual(checkpoint(3, 'Completed'));
    expect(await store.readExecution('i1', 'other')).toEqual({ history: [], checkpoint: undefined });
  });

  it('deletes the history of every execution but the one kept', async () => {
    let store = await openStore();
    await store.commitEpisode('i1', 'e1', 0, [event(0)], checkpoint(1));
    await store.commitEpisode('i1', 'e2', 0, [event(0), event(1)], checkpoint(2));
    expect(await store.deleteHistory('i1', 'e2')).toBe(2);
    store = await reopen(store);
    expect((await store.readExecution('i1', 'e1')).history).toEqual([]);
    expect((await store.readExecution('i1', 'e2')).history).toHaveLength(2);
    expect(await store.deleteHistory('i1')).toBe(3);
    expect(await store.deleteHistory('i1')).toBe(0);
  });
});

describe('queues', () => {
  it('hands out visible messages first in, first out', async () => {
    const store = await openStore();
    for (let n = 0; n < 5; n++) await store.send('control', { n });
    const received = await store.receive<{ n: number }>('control', 3, 30);
    expect(received.map((m) => m.body.n)).toEqual([0, 1, 2]);
    expect((await store.receive<{ n: number }>('control', 10, 30)).map((m) => m.body.n)).toEqual([3, 4]);
    expect(await store.receive('control', 10, 30)).toEqual([]);
  });

  it('keeps a delayed message invisible until its time, and wakes the listener then', async () => {
    const store = await openStore();
    let woken = 0;
    store.onVisible(() => woken++);
    await store.send('control', 'later', 300);
    await store.send('control', 'now');
    expect((await store.receive('control', 10, 30)).map((m) => m.body)).toEqual(['now']);
    const wokenBefore = woken;
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(woken).toBeGreaterThan(wokenBefore);
    expect((await store.receive('control', 10, 30)).map((m) => m.body)).toEqual(['later']);
  });

  it('leases: a received message comes back after its lease unless deleted with the current receipt', async () => {
    const store = await openStore();
    await store.send('control', 'm');
    const [first] = await store.receive('control', 1, 0.2);
    expect(first).toMatchObject({ body: 'm', dequeueCount: 1 });
    expect(await store.receive('control', 1, 30)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [second] = await store.receive('control', 1, 30);
    expect(second).toMatchObject({ messageId: first!.messageId, dequeueCount: 2 });
    // The first lease ended: deleting with its receipt does nothing.
    await store.deleteMessage('control', first!);
    await expect(store.renew('control', { ...first! }, 30)).rejects.toThrow(/gone or leased again/);
    const ref = { messageId: second!.messageId, popReceipt: second!.popReceipt };
    await store.renew('control', ref, 30);
    expect(ref.popReceipt).not.toBe(second!.popReceipt);
    // Renewing changed the receipt: the one from the receive no longer deletes.
    await store.deleteMessage('control', second!);
    await store.deleteMessage('control', ref);
    const reopened = await reopen(store);
    expect(await reopened.receive('control', 10, 30)).toEqual([]);
  });

  it('after a reopen, work items leased by the process that died are visible at once; delayed control messages are not', async () => {
    let store = await openStore();
    // Work items are sent invisible for their lease and run by the process that sent them.
    await store.send('workItems', 'leased-by-sender', 60_000);
    await store.send('workItems', 'received');
    expect(await store.receive('workItems', 10, 60)).toHaveLength(1);
    await store.send('control', 'timer', 60_000);
    await store.send('control', 'leased');
    expect(await store.receive('control', 10, 60)).toHaveLength(1);
    store = await reopen(store);
    expect((await store.receive('workItems', 10, 60)).map((m) => m.body).sort()).toEqual([
      'leased-by-sender',
      'received',
    ]);
    expect((await store.receive('control', 10, 60)).map((m) => m.body)).toEqual(['leased']);
  });

  it('does not reuse message ids after a reopen', async () => {
    let store = await openStore();
    const sent = await store.send('control', 'a');
    store = await reopen(store);
    const next = await store.send('control', 'b');
    expect(next.messageId).not.toBe(sent.messageId);
  });
});

/** A workload touching every kind of change, with deletes, so replay order matters. */
async function workload(store: JournaledTaskHubStore, round: number): Promise<[string, string][]> {
  const executions: [string, string][] = [];
  for (let n = 0; n < 20; n++) {
    const id = `r${round}-i${n}`;
    const etag = await store.createInstance(instance(id, { input: JSON.stringify('x'.repeat(50)) }));
    await store.commitEpisode(id, 'e1', 0, [event(0), event(1)], checkpoint(2));
    await store.commitEpisode(id, 'e1', 2, [event(2)], checkpoint(3, n % 2 ? 'Completed' : 'Running'));
    await store.writeInstance(instance(id, { runtimeStatus: n % 2 ? 'Completed' : 'Running' }), etag);
    const work = await store.send('workItems', { id, task: 0 }, 60_000);
    if (n % 3 === 0) await store.deleteMessage('workItems', work);
    await store.send('control', { id, n }, n % 4 === 0 ? 3_600_000 : 0);
    if (n % 5 === 0) await store.deleteInstance(id);
    if (n % 7 === 0) await store.deleteHistory(id);
    executions.push([id, 'e1']);
  }
  return executions;
}

describe('recovery', () => {
  it('holds the same state after close and reopen', async () => {
    let store = await openStore();
    const executions = await workload(store, 0);
    store = await reopen(store);
    const after = await contents(store, executions);
    expect(after.items).toHaveLength(16);
    store = await reopen(store);
    expect(await contents(store, executions)).toEqual(after);
  });

  it('holds the same state after snapshots as without them', async () => {
    const plainDir = directory;
    const plain = new JournaledTaskHubStore({ directory: plainDir, hubName: 'hub', fsync: false });
    await plain.init();
    const executions = await workload(plain, 0);
    await plain.close();
    const expected = await (async () => {
      const again = new JournaledTaskHubStore({ directory: plainDir, hubName: 'hub', fsync: false });
      await again.init();
      const seen = await contents(again, executions);
      await again.close();
      return seen;
    })();

    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'journaled-store-snap-'));
    try {
      // A few kilobytes: the workload crosses it many times, so snapshots overlap appends.
      let store = await openStore(4096);
      await workload(store, 0);
      store = await reopen(store, 4096);
      expect(fs.existsSync(path.join(directory, 'snapshot.log'))).toBe(true);
      expect(store.recovery.records).toBeLessThan(20 * 8);
      expect(await contents(store, executions)).toEqual(expected);
    } finally {
      fs.rmSync(plainDir, { recursive: true, force: true });
    }
  });

  it('ignores a torn last record: the changes before it are there, the one it was is not', async () => {
    let store = await openStore();
    await store.createInstance(instance('kept'));
    await store.send('control', 'kept');
    await store.close();
    open.splice(0);
    const journals = fs
      .readdirSync(directory)
      .filter((name) => /^journal-\d+\.log$/.test(name))
      .sort();
    const newest = path.join(directory, journals[journals.length - 1]!);
    // What a kill during the write of a create leaves: a whole header and part of the JSON.
    const json = Buffer.from(JSON.stringify({ op: 'instance', record: { ...instance('torn'), etag: '99' } }));
    const header = Buffer.alloc(8);
    header.writeUInt32LE(json.length, 0);
    header.writeUInt32LE(0, 4);
    fs.appendFileSync(newest, Buffer.concat([header, json.subarray(0, json.length >> 1)]));

    store = await openStore();
    expect(store.recovery.tornTails).toBe(1);
    expect(await store.readInstance('torn')).toBeUndefined();
    expect((await store.readInstance('kept'))?.instanceId).toBe('kept');
    await store.createInstance(instance('after'));
    store = await reopen(store);
    expect((await store.listInstances({ pageSize: 10 })).items.map((r) => r.instanceId)).toEqual([
      'after',
      'kept',
    ]);
    expect((await store.receive('control', 10, 30)).map((m) => m.body)).toEqual(['kept']);
  });
});
