import { ActionType, EventType, type HistoryEvent, type OrchestratorAction } from './history';
import type { ControlMessage } from './task-hub-store';

/**
 * Durable entities in the classic protocol of the Durable Task extension, without I/O: an entity
 * is an instance `@name@key`; an operation reaches it as an `op` event carrying a request message,
 * and a call is answered with an event raised on the caller whose name is the request id. Entity
 * functions take a batch of operations with the state and return the new state with one result per
 * operation (the library's DurableEntityBindingInfo and EntityState).
 */

export const operationEventName = 'op';

export interface EntityId {
  name: string;
  key: string;
}

/** The request message of an operation, with the extension's field names. */
export interface EntityRequest {
  id: string;
  op: string;
  signal: boolean;
  /** JSON text of the operation's input, absent without one. */
  input?: string;
  /** The calling orchestration, for a call, a lock request or a release. */
  parent?: string;
  parentExecution?: string;
  timestamp: string;
  /** A lock request: the entities to lock, in order, and the position of the one it is sent to. */
  lockset?: string[];
  pos?: number;
  /** A release of the lock `parent` holds. */
  release?: boolean;
}

/** What the store keeps of an entity, in its instance row. */
export interface EntityRow {
  exists: boolean;
  /** JSON text of the state. */
  state?: string;
  lastOperationTime?: string;
  /** Ids of the latest operations taken: a message delivered again after a crash is not taken twice. */
  taken: string[];
  /** The orchestration whose critical section holds the entity. */
  lockedBy?: string;
  /** Requests of others than `lockedBy`, kept in order until the lock is released. */
  queue: EntityRequest[];
  /**
   * The responses and signals of the last batch. They are sent after the row is stored, so after a
   * crash in between the next process sends them again when it first loads the entity.
   */
  outbox: ControlMessage[];
}

/** The library's EntityState: what an entity function returns for a batch. */
export interface EntityBatchResult {
  entityExists: boolean;
  entityState?: string;
  results: ({ isError: boolean; result?: string } | undefined)[];
  signals: { target: EntityId; name: string; input?: string }[];
}

/** How many operation ids a row remembers for deduplication. */
const takenWindow = 200;

export function entityInstanceId(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

export function isEntityInstance(instanceId: string): boolean {
  return instanceId.startsWith('@');
}

export function entityIdOf(instanceId: string): EntityId | undefined {
  const at = instanceId.indexOf('@', 1);
  if (!isEntityInstance(instanceId) || at < 0) return undefined;
  return { name: instanceId.slice(1, at), key: instanceId.slice(at + 1) };
}

export function newEntityRow(): EntityRow {
  return { exists: false, taken: [], queue: [], outbox: [] };
}

export function parseEntityRow(text: string): EntityRow {
  try {
    const row = JSON.parse(text) as Partial<EntityRow> | null;
    if (row && typeof row === 'object' && Array.isArray(row.taken)) return { ...newEntityRow(), ...row };
  } catch {
    // An unreadable row is an entity that does not exist yet.
  }
  return newEntityRow();
}

export function operationMessage(target: string, request: EntityRequest): ControlMessage {
  return {
    instanceId: target,
    event: {
      EventType: EventType.EventRaised,
      EventId: -1,
      IsPlayed: false,
      Timestamp: request.timestamp,
      Name: operationEventName,
      Input: JSON.stringify(request),
    },
  };
}

export function requestOf(event: HistoryEvent): EntityRequest | undefined {
  if (event.EventType !== EventType.EventRaised || event.Name !== operationEventName || !event.Input)
    return undefined;
  try {
    const request = JSON.parse(event.Input) as EntityRequest;
    return typeof request.id === 'string' && typeof request.op === 'string' ? request : undefined;
  } catch {
    return undefined;
  }
}

/** The message of a CallEntity or SignalEntity action of an orchestration. */
export function orchestrationOperation(
  action: OrchestratorAction,
  caller: { instanceId: string; executionId: string },
  requestId: string,
  now: Date
): ControlMessage {
  const signal = action.actionType !== ActionType.CallEntity;
  const request: EntityRequest = {
    id: requestId,
    op: action.operation ?? '',
    signal,
    ...(action.input === undefined ? {} : { input: JSON.stringify(action.input) }),
    ...(signal ? {} : { parent: caller.instanceId, parentExecution: caller.executionId }),
    timestamp: now.toISOString(),
  };
  return operationMessage(action.instanceId ?? '', request);
}

/**
 * Critical sections, as the extension runs them: a lock request goes to the first entity of its
 * set, which, once free, is held by the requesting orchestration and passes the request on to the
 * next; the last one answers the orchestration. A held entity runs only the holder's operations and
 * keeps everyone else's (lock requests too) in order until the holder releases it.
 */
export function admit(
  row: EntityRow,
  incoming: EntityRequest[],
  now: Date
): { run: EntityRequest[]; lockedBy?: string; queue: EntityRequest[]; messages: ControlMessage[] } {
  let lockedBy = row.lockedBy;
  let work = [...row.queue, ...incoming];
  let kept: EntityRequest[] = [];
  const run: EntityRequest[] = [];
  const messages: ControlMessage[] = [];
  while (work.length > 0) {
    const request = work.shift()!;
    if (request.release) {
      if (lockedBy !== undefined && request.parent === lockedBy) {
        lockedBy = undefined;
        work = [...kept, ...work];
        kept = [];
      }
    } else if (lockedBy !== undefined && request.parent !== lockedBy) {
      kept.push(request);
    } else if (request.lockset) {
      lockedBy = request.parent;
      messages.push(passLockOn(request, now));
    } else {
      run.push(request);
    }
  }
  return { run, ...(lockedBy === undefined ? {} : { lockedBy }), queue: kept, messages };
}

function passLockOn(request: EntityRequest, now: Date): ControlMessage {
  const lockset = request.lockset ?? [];
  const next = (request.pos ?? 0) + 1;
  if (next < lockset.length) return operationMessage(lockset[next]!, { ...request, pos: next });
  return {
    instanceId: request.parent ?? '',
    executionId: request.parentExecution,
    event: {
      EventType: EventType.EventRaised,
      EventId: -1,
      IsPlayed: false,
      Timestamp: now.toISOString(),
      Name: request.id,
      Input: JSON.stringify({ result: JSON.stringify('Lock Acquisition Completed') }),
    },
  };
}

/** The lock request of a LockEntities action, sent to the first entity of the set. */
export function lockRequest(
  action: OrchestratorAction,
  caller: { instanceId: string; executionId: string },
  requestId: string,
  now: Date
): { lockset: string[]; message: ControlMessage } {
  const lockset = (action.lockSet ?? []).map((e) => entityInstanceId(e.name, e.key));
  const request: EntityRequest = {
    id: action.lockRequestId || requestId,
    op: '',
    signal: false,
    parent: caller.instanceId,
    parentExecution: caller.executionId,
    timestamp: now.toISOString(),
    lockset,
    pos: 0,
  };
  return { lockset, message: operationMessage(lockset[0] ?? '', request) };
}

/** What frees an entity held by `holder`. */
export function releaseMessage(entity: string, holder: string, requestId: string, now: Date): ControlMessage {
  return operationMessage(entity, {
    id: requestId,
    op: '',
    signal: true,
    release: true,
    parent: holder,
    timestamp: now.toISOString(),
  });
}

/** The operations of a batch not taken before, each once, in arrival order. */
export function freshRequests(row: EntityRow, requests: EntityRequest[]): EntityRequest[] {
  const seen = new Set(row.taken);
  const fresh: EntityRequest[] = [];
  for (const request of requests) {
    if (seen.has(request.id)) continue;
    seen.add(request.id);
    fresh.push(request);
  }
  return fresh;
}

/** The entity function's trigger input (the library's DurableEntityBindingInfo). */
export function bindingInfo(id: EntityId, row: EntityRow, batch: EntityRequest[]): Record<string, unknown> {
  return {
    self: id,
    exists: row.exists,
    state: row.state,
    batch: batch.map((r) => ({ id: r.id, name: r.op, signal: r.signal, input: r.input })),
  };
}

/** A batch none of whose operations ran: every call is answered with `message` as its error. */
export function failedBatch(row: EntityRow, batch: EntityRequest[], message: string): EntityBatchResult {
  return {
    entityExists: row.exists,
    entityState: row.state,
    results: batch.map(() => ({ isError: true, result: JSON.stringify({ name: 'Error', message }) })),
    signals: [],
  };
}

/**
 * The row after a batch: the state the function left, the batch's ids remembered, and in the outbox
 * an answer to every call (in the shape the library's ResponseMessage reads) and the signals the
 * operations sent.
 */
export function applyBatch(args: {
  row: EntityRow;
  /** The operations the function ran. */
  batch: EntityRequest[];
  result: EntityBatchResult;
  now: Date;
  newId: () => string;
  /** Every request taken (run, kept or lock traffic) and what the locks made of them. */
  taken?: EntityRequest[];
  admitted?: Omit<ReturnType<typeof admit>, 'run'>;
}): EntityRow {
  const { row, batch, result, now, newId, admitted } = args;
  const taken = args.taken ?? batch;
  const at = now.toISOString();
  const outbox: ControlMessage[] = [...(admitted?.messages ?? [])];
  batch.forEach((request, i) => {
    if (request.signal || !request.parent) return;
    outbox.push({
      instanceId: request.parent,
      executionId: request.parentExecution,
      event: {
        EventType: EventType.EventRaised,
        EventId: -1,
        IsPlayed: false,
        Timestamp: at,
        Name: request.id,
        Input: JSON.stringify(responseOf(result.results[i], request)),
      },
    });
  });
  for (const signal of result.signals) {
    const request: EntityRequest = {
      id: newId(),
      op: signal.name,
      signal: true,
      ...(signal.input ? { input: signal.input } : {}),
      timestamp: at,
    };
    outbox.push(operationMessage(entityInstanceId(signal.target.name, signal.target.key), request));
  }
  const exists = result.entityExists;
  return {
    exists,
    ...(exists && result.entityState !== undefined ? { state: result.entityState } : {}),
    lastOperationTime: at,
    taken: [...row.taken, ...taken.map((r) => r.id)].slice(-takenWindow),
    ...(admitted?.lockedBy === undefined ? {} : { lockedBy: admitted.lockedBy }),
    queue: admitted?.queue ?? row.queue,
    outbox,
  };
}

function responseOf(
  result: EntityBatchResult['results'][number],
  request: EntityRequest
): { result?: string; exceptionType?: string } {
  if (!result) return {};
  if (!result.isError) return result.result === undefined ? {} : { result: result.result };
  const error = errorOf(result.result, request.op);
  return { result: JSON.stringify(error.message), exceptionType: error.name };
}

/** The name and message of what an operation threw, from its JSON. */
export function errorOf(text: string | undefined, operation: string): { name: string; message: string } {
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = text;
  }
  if (typeof value === 'string' && value) return { name: 'Error', message: value };
  if (value && typeof value === 'object') {
    const { name, message } = value as { name?: unknown; message?: unknown };
    if (typeof message === 'string' && message)
      return { name: typeof name === 'string' ? name : 'Error', message };
  }
  return { name: 'Error', message: `The entity operation '${operation}' failed.` };
}
