import {
  admit,
  applyBatch,
  bindingInfo,
  entityIdOf,
  entityInstanceId,
  errorOf,
  failedBatch,
  freshRequests,
  newEntityRow,
  parseEntityRow,
  requestOf,
  type EntityRequest,
} from '../../durable/entity-protocol';
import { EventType } from '../../durable/history';

const now = new Date('2026-01-01T00:00:00.000Z');
const request = (id: string, extra: Partial<EntityRequest> = {}): EntityRequest => ({
  id,
  op: 'add',
  signal: true,
  input: '1',
  timestamp: now.toISOString(),
  ...extra,
});
let ids = 0;
const newId = () => `new-${++ids}`;

describe('entity ids', () => {
  it('names an entity @name@key with the name in lower case, as the library does', () => {
    expect(entityInstanceId('Tally', 'a@b')).toBe('@tally@a@b');
    expect(entityIdOf('@tally@a@b')).toEqual({ name: 'tally', key: 'a@b' });
    expect(entityIdOf('plain-instance')).toBeUndefined();
  });
});

describe('entity batches', () => {
  it('takes each operation once: ids already taken and repeats within the batch are dropped', () => {
    const row = { ...newEntityRow(), taken: ['a'] };
    const fresh = freshRequests(row, [request('a'), request('b'), request('b'), request('c')]);
    expect(fresh.map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('hands the function the state and the batch as the library reads them', () => {
    const row = { ...newEntityRow(), exists: true, state: '5' };
    expect(bindingInfo({ name: 'tally', key: 'k' }, row, [request('a')])).toEqual({
      self: { name: 'tally', key: 'k' },
      exists: true,
      state: '5',
      batch: [{ id: 'a', name: 'add', signal: true, input: '1' }],
    });
  });

  it('stores the new state once, remembers the ids, answers calls and sends signals', () => {
    const call = request('c1', { op: 'get', signal: false, parent: 'orch', parentExecution: 'e1' });
    const failing = request('c2', { op: 'fail', signal: false, parent: 'orch', parentExecution: 'e1' });
    const row = applyBatch({
      row: newEntityRow(),
      batch: [request('s1'), call, failing],
      result: {
        entityExists: true,
        entityState: '6',
        results: [
          { isError: false },
          { isError: false, result: '6' },
          { isError: true, result: JSON.stringify({ name: 'RangeError', message: 'too big' }) },
        ],
        signals: [{ target: { name: 'Other', key: 'x' }, name: 'add', input: '6' }],
      },
      now,
      newId,
    });
    expect(row).toMatchObject({ exists: true, state: '6', taken: ['s1', 'c1', 'c2'] });
    const [answer, error, signal] = row.outbox;
    expect(answer).toMatchObject({ instanceId: 'orch', executionId: 'e1' });
    expect(answer!.event).toMatchObject({ EventType: EventType.EventRaised, Name: 'c1' });
    expect(JSON.parse(answer!.event.Input!)).toEqual({ result: '6' });
    expect(JSON.parse(error!.event.Input!)).toEqual({ result: '"too big"', exceptionType: 'RangeError' });
    expect(signal!.instanceId).toBe('@other@x');
    expect(requestOf(signal!.event)).toMatchObject({ op: 'add', signal: true, input: '6' });
  });

  it('forgets the state of an entity that deleted itself, and remembers only the latest ids', () => {
    const taken = Array.from({ length: 200 }, (_, i) => `old-${i}`);
    const row = applyBatch({
      row: { ...newEntityRow(), exists: true, state: '1', taken },
      batch: [request('last')],
      result: { entityExists: false, results: [{ isError: false }], signals: [] },
      now,
      newId,
    });
    expect(row.exists).toBe(false);
    expect(row.state).toBeUndefined();
    expect(row.taken).toHaveLength(200);
    expect(row.taken.at(-1)).toBe('last');
    expect(row.taken[0]).toBe('old-1');
  });

  it('answers every call of a batch that could not run with the reason', () => {
    const row = newEntityRow();
    const result = failedBatch(row, [request('c', { signal: false, parent: 'p' })], 'not registered');
    const next = applyBatch({
      row,
      batch: [request('c', { signal: false, parent: 'p' })],
      result,
      now,
      newId,
    });
    expect(JSON.parse(next.outbox[0]!.event.Input!)).toEqual({
      result: '"not registered"',
      exceptionType: 'Error',
    });
    expect(next.exists).toBe(false);
  });

  it('reads what an operation threw: a string, an error, or something without a message', () => {
    expect(errorOf('"plain"', 'op')).toEqual({ name: 'Error', message: 'plain' });
    expect(errorOf('{"name":"TypeError","message":"bad"}', 'op')).toEqual({
      name: 'TypeError',
      message: 'bad',
    });
    expect(errorOf('{}', 'op').message).toBe("The entity operation 'op' failed.");
  });

  it('reads a stored row, and takes anything unreadable for an entity that does not exist', () => {
    const row = { ...newEntityRow(), exists: true, state: '3' };
    expect(parseEntityRow(JSON.stringify(row))).toEqual(row);
    expect(parseEntityRow('null')).toEqual(newEntityRow());
    expect(parseEntityRow('not json')).toEqual(newEntityRow());
  });
});

describe('critical sections', () => {
  const lock = (parent: string, lockset: string[], pos = 0) =>
    request(`lock-${parent}`, { op: '', signal: false, parent, parentExecution: 'e', lockset, pos });
  const release = (parent: string) => request(`release-${parent}`, { op: '', release: true, parent });
  const op = (id: string, parent?: string) => request(id, parent ? { signal: false, parent } : {});

  it('holds an entity for the requester and passes the request on to the next entity', () => {
    const admitted = admit(newEntityRow(), [lock('A', ['@t@1', '@t@2']), op('a1', 'A')], now);
    expect(admitted.lockedBy).toBe('A');
    expect(admitted.run.map((r) => r.id)).toEqual(['a1']);
    expect(admitted.messages[0]!.instanceId).toBe('@t@2');
    expect(requestOf(admitted.messages[0]!.event)).toMatchObject({ pos: 1, parent: 'A' });
  });

  it('answers the holder from the last entity of the set', () => {
    const admitted = admit(newEntityRow(), [lock('A', ['@t@1', '@t@2'], 1)], now);
    expect(admitted.messages[0]).toMatchObject({ instanceId: 'A', executionId: 'e' });
    expect(admitted.messages[0]!.event.Name).toBe('lock-A');
  });

  it('keeps the operations and lock requests of others in order until the release', () => {
    const held = { ...newEntityRow(), lockedBy: 'A' };
    const first = admit(held, [op('s1'), lock('B', ['@t@1']), op('a1', 'A'), op('s2')], now);
    expect(first.run.map((r) => r.id)).toEqual(['a1']);
    expect(first.queue.map((r) => r.id)).toEqual(['s1', 'lock-B', 's2']);
    expect(first.lockedBy).toBe('A');

    const second = admit({ ...held, queue: first.queue }, [release('B'), release('A'), op('s3')], now);
    // s2 came after B's lock request: it waits for B now.
    expect(second.run.map((r) => r.id)).toEqual(['s1']);
    expect(second.lockedBy).toBe('B');
    expect(second.queue.map((r) => r.id)).toEqual(['s2', 's3']);
  });
});
