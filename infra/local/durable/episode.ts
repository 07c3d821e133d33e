import { randomUUID } from 'node:crypto';
import { lockRequest, orchestrationOperation, releaseMessage } from './entity-protocol';
import type { ControlMessage } from './task-hub-store';
import {
  ActionType,
  EventType,
  httpActivityName,
  type HistoryEvent,
  type OrchestratorAction,
  type OrchestratorState,
  type ParentInstance,
  type RetryOptions,
} from './history';

/**
 * The Durable Task extension's side of one orchestration episode, without I/O: which delivered
 * events the orchestrator sees, how the actions it returns become history, work items, timers and
 * sub-orchestrations, how retries are run, and whether the code still matches its history.
 *
 * Task ids follow the numbering `durable-functions` assigns while replaying: every activity, timer
 * and sub-orchestration in the order scheduled, and for a retried call a timer id after each failed
 * attempt and a new task id for each new attempt. To keep that numbering in step with the library,
 * an event that makes a retry allocate an id is delivered last in its episode.
 */

interface OpenTask {
  kind: 'activity' | 'timer' | 'suborchestration';
  name?: string;
  /** The retried call this id belongs to (its first task id). */
  retryOf?: number;
}

interface RetryState {
  kind: 'activity' | 'suborchestration';
  name: string;
  input: string;
  instanceId?: string;
  options: RetryOptions;
  attempt: number;
  firstAttemptAt: string;
}

/** What the engine keeps per execution, next to its history. */
export interface ExecutionState {
  nextId: number;
  /** Every atomic action seen so far, in order: the record a replay must match. */
  actions: { type: number; name?: string }[];
  open: Record<number, OpenTask>;
  retries: Record<number, RetryState>;
  /**
   * Events that arrived while the instance was suspended, in arrival order, kept here (and their
   * messages acknowledged) so that they survive a restart; and after a resume, those the next
   * episode could not take yet. Absent in states stored before suspension existed.
   */
  pending?: HistoryEvent[];
  /** The entities a critical section of this execution holds (or asked for), until it releases them. */
  locks?: string[];
}

export function newExecutionState(): ExecutionState {
  return { nextId: 0, actions: [], open: {}, retries: {} };
}

export interface InstanceIdentity {
  instanceId: string;
  executionId: string;
  name: string;
  parent?: ParentInstance;
}

export type Outbound =
  | { kind: 'activity'; taskId: number; name: string; input: string }
  | { kind: 'timer'; timerId: number; fireAt: string }
  | {
      kind: 'start-suborchestration';
      instanceId: string;
      name: string;
      input: string;
      parent: ParentInstance;
    }
  | { kind: 'to-parent'; parent: ParentInstance; event: HistoryEvent }
  | { kind: 'to-self'; event: HistoryEvent }
  /** An operation on an entity. */
  | { kind: 'send'; message: ControlMessage }
  | { kind: 'http'; taskId: number; input: string }
  | { kind: 'continue-as-new'; input: string; carriedEvents: HistoryEvent[] };

export type Outcome =
  | { status: 'Running'; customStatus: unknown }
  | { status: 'Completed'; output: unknown; customStatus: unknown }
  | { status: 'Failed'; error: string; customStatus: unknown }
  | { status: 'ContinuedAsNew'; customStatus: unknown };

export interface EpisodeDecision {
  history: HistoryEvent[];
  outbound: Outbound[];
  state: ExecutionState;
  outcome: Outcome;
}

export class NonDeterminismError extends Error {}

export function timestamped(event: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>, now: Date): HistoryEvent {
  return { ...event, IsPlayed: false, Timestamp: now.toISOString() };
}

/**
 * Applies the suspend and resume requests of one episode in arrival order, as the Durable Task
 * Framework does: a suspend of a suspended instance and a resume of a running one change nothing.
 * Returns whether the instance ends up suspended and the history events of the changes made.
 */
export function applySuspension(
  suspended: boolean,
  requests: HistoryEvent[]
): { suspended: boolean; history: HistoryEvent[] } {
  const history: HistoryEvent[] = [];
  for (const request of requests) {
    if (request.EventType === EventType.ExecutionSuspended && !suspended) {
      suspended = true;
      history.push(request);
    } else if (request.EventType === EventType.ExecutionResumed && suspended) {
      suspended = false;
      history.push(request);
    }
  }
  return { suspended, history };
}

export function isSuspensionRequest(event: HistoryEvent): boolean {
  return event.EventType === EventType.ExecutionSuspended || event.EventType === EventType.ExecutionResumed;
}

/** Splits delivered events into those this episode takes, those to keep for later, and duplicates. */
export function selectEvents(
  state: ExecutionState,
  delivered: HistoryEvent[]
): { accepted: HistoryEvent[]; held: HistoryEvent[]; duplicates: HistoryEvent[] } {
  const accepted: HistoryEvent[] = [];
  const held: HistoryEvent[] = [];
  const duplicates: HistoryEvent[] = [];
  const taken = new Set<number>();
  let retryEvent: HistoryEvent | undefined;
  for (const event of delivered) {
    const id = completedTaskId(event);
    if (id === undefined) {
      accepted.push(event);
      continue;
    }
    const open = state.open[id];
    if (!open || taken.has(id)) {
      (id < state.nextId ? duplicates : held).push(event);
      continue;
    }
    if (allocatesRetryId(event, open)) {
      if (retryEvent) {
        held.push(event);
        continue;
      }
      retryEvent = event;
    } else {
      accepted.push(event);
    }
    taken.add(id);
  }
  if (retryEvent) accepted.push(retryEvent);
  return { accepted, held, duplicates };
}

function completedTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case EventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}

function allocatesRetryId(event: HistoryEvent, open: OpenTask): boolean {
  if (open.retryOf === undefined) return false;
  return (
    event.EventType === EventType.TaskFailed ||
    event.EventType === EventType.SubOrchestrationInstanceFailed ||
    event.EventType === EventType.TimerFired
  );
}

/** Atomic actions depth-first, which is the order the library numbers its tasks in. */
export function flattenActions(actions: OrchestratorAction[][]): OrchestratorAction[] {
  const out: OrchestratorAction[] = [];
  const visit = (action: OrchestratorAction) => {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions ?? []) visit(child);
    } else {
      out.push(action);
    }
  };
  for (const list of actions) for (const action of list) visit(action);
  return out;
}

const actionNames: Record<number, string> = Object.fromEntries(
  Object.entries(ActionType).map(([k, v]) => [v, k])
);

function describeAction(action: { type: number; name?: string }): string {
  return `${actionNames[action.type] ?? action.type}${action.name ? `("${action.name}")` : ''}`;
}

function actionName(action: OrchestratorAction): string | undefined {
  return action.functionName ?? action.externalEventName ?? action.operation;
}

/** A JSON text for a history event: the library passes strings already serialized. */
export function serializedInput(input: unknown): string {
  if (typeof input === 'string') return input;
  return JSON.stringify(input ?? null);
}

/**
 * Decides an episode from the orchestrator's answer. `accepted` are the events the orchestrator was
 * given after its OrchestratorStarted; `result` is its state (on failure, the state the library
 * attached to the error, plus the error message).
 */
export function decideEpisode(args: {
  identity: InstanceIdentity;
  state: ExecutionState;
  accepted: HistoryEvent[];
  result: OrchestratorState;
  failure?: string;
  history: HistoryEvent[];
  now: Date;
}): EpisodeDecision {
  const { identity, accepted, result, now } = args;
  const state: ExecutionState = structuredClone(args.state);
  const history: HistoryEvent[] = [];
  const outbound: Outbound[] = [];
  const customStatus = result.customStatus;
  const at = (event: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>) => timestamped(event, now);

  for (const event of accepted) {
    const id = completedTaskId(event);
    if (id !== undefined) delete state.open[id];
  }

  const flat = flattenActions(result.actions ?? []);
  const failed = args.failure !== undefined || result.error !== undefined;
  const mismatch = findMismatch(state.actions, flat, result.isDone || failed);
  if (mismatch) return failWith(identity, state, history, outbound, customStatus, mismatch, now);

  for (const action of flat.slice(state.actions.length)) {
    state.actions.push({ type: action.actionType, name: actionName(action) });
    const unsupported = schedule(action, identity, state, history, outbound, now);
    if (unsupported) return failWith(identity, state, history, outbound, customStatus, unsupported, now);
  }

  const lastEvent = accepted.at(-1);
  if (lastEvent) continueRetry(lastEvent, identity, args.state, state, history, outbound, now);

  if (failed) {
    const error = args.failure ?? result.error ?? 'The orchestrator failed.';
    return failWith(identity, state, history, outbound, customStatus, error, now);
  }
  if (result.isDone) {
    // An execution that ends inside a critical section frees its entities, as the extension does.
    releaseLocks(identity, state, history, outbound, now);
    const continueAction = flat.find((a) => a.actionType === ActionType.ContinueAsNew);
    if (continueAction) {
      history.push(
        at({ EventType: EventType.ContinueAsNew, EventId: -1, Input: serializedInput(continueAction.input) })
      );
      outbound.push({
        kind: 'continue-as-new',
        input: serializedInput(continueAction.input),
        carriedEvents: continueAction.preserveUnprocessedEvents
          ? unprocessedEvents([...args.history, ...accepted], flat)
          : [],
      });
      return { history, outbound, state, outcome: { status: 'ContinuedAsNew', customStatus } };
    }
    const output = JSON.stringify(result.output ?? null);
    history.push(
      at({
        EventType: EventType.ExecutionCompleted,
        EventId: -1,
        OrchestrationStatus: 'Completed',
        Result: output,
      })
    );
    if (identity.parent) {
      outbound.push({
        kind: 'to-parent',
        parent: identity.parent,
        event: at({
          EventType: EventType.SubOrchestrationInstanceCompleted,
          EventId: -1,
          TaskScheduledId: identity.parent.TaskScheduleId,
          Result: output,
        }),
      });
    }
    return {
      history,
      outbound,
      state,
      outcome: { status: 'Completed', output: result.output ?? null, customStatus },
    };
  }
  return { history, outbound, state, outcome: { status: 'Running', customStatus } };
}

function findMismatch(
  known: ExecutionState['actions'],
  flat: OrchestratorAction[],
  finished: boolean
): string | undefined {
  for (let i = 0; i < Math.min(known.length, flat.length); i++) {
    const expected = known[i]!;
    const actual = flat[i]!;
    if (expected.type !== actual.actionType || expected.name !== actionName(actual)) {
      return (
        `Non-deterministic workflow detected: action ${i} was ${describeAction(expected)} in the history ` +
        `but the orchestrator code now schedules ${describeAction({ type: actual.actionType, name: actionName(actual) })}. ` +
        'Orchestrator code must not change while instances are in flight.'
      );
    }
  }
  if (!finished && flat.length < known.length) {
    return (
      `Non-deterministic workflow detected: the history holds ${known.length} actions but a replay of the ` +
      `orchestrator code reaches only ${flat.length} (next expected: ${describeAction(known[flat.length]!)}).`
    );
  }
  return undefined;
}

function schedule(
  action: OrchestratorAction,
  identity: InstanceIdentity,
  state: ExecutionState,
  history: HistoryEvent[],
  outbound: Outbound[],
  now: Date
): string | undefined {
  const at = (event: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>) => timestamped(event, now);
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry: {
      const id = state.nextId++;
      const name = action.functionName ?? '';
      const input = serializedInput(action.input);
      const retry = action.actionType === ActionType.CallActivityWithRetry;
      if (retry) state.retries[id] = retryState('activity', name, input, undefined, action, now);
      state.open[id] = { kind: 'activity', name, ...(retry ? { retryOf: id } : {}) };
      history.push(at({ EventType: EventType.TaskScheduled, EventId: id, Name: name, Input: input }));
      outbound.push({ kind: 'activity', taskId: id, name, input });
      return undefined;
    }
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry: {
      const id = state.nextId++;
      const name = action.functionName ?? '';
      // Unlike activity and continue-as-new inputs, the library leaves a sub-orchestration's input
      // as the caller gave it (a string is not yet JSON), so it is encoded here.
      const input = JSON.stringify(action.input ?? null);
      const retry = action.actionType === ActionType.CallSubOrchestratorWithRetry;
      if (retry)
        state.retries[id] = retryState('suborchestration', name, input, action.instanceId, action, now);
      state.open[id] = { kind: 'suborchestration', name, ...(retry ? { retryOf: id } : {}) };
      startSubOrchestration(id, name, input, action.instanceId, identity, history, outbound, now);
      return undefined;
    }
    case ActionType.CreateTimer: {
      const id = state.nextId++;
      const fireAt = new Date(action.fireAt ?? now).toISOString();
      state.open[id] = { kind: 'timer' };
      history.push(at({ EventType: EventType.TimerCreated, EventId: id, FireAt: fireAt }));
      outbound.push({ kind: 'timer', timerId: id, fireAt });
      return undefined;
    }
    case ActionType.CallEntity:
    case ActionType.SignalEntity: {
      // Numbered like a task; the EventSent tells a replay which request id answers a call.
      const id = state.nextId++;
      const message = orchestrationOperation(action, identity, randomUUID(), now);
      const { Name, Input } = message.event;
      history.push(
        at({ EventType: EventType.EventSent, EventId: id, Name, Input, InstanceId: message.instanceId })
      );
      outbound.push({ kind: 'send', message });
      return undefined;
    }
    case ActionType.CallHttp: {
      const id = state.nextId++;
      const input = JSON.stringify(action.httpRequest ?? null);
      state.open[id] = { kind: 'activity', name: httpActivityName };
      history.push(
        at({ EventType: EventType.TaskScheduled, EventId: id, Name: httpActivityName, Input: input })
      );
      outbound.push({ kind: 'http', taskId: id, input });
      return undefined;
    }
    case ActionType.LockEntities: {
      const id = state.nextId++;
      const { lockset, message } = lockRequest(action, identity, randomUUID(), now);
      state.locks = lockset;
      const { Name, Input } = message.event;
      history.push(
        at({ EventType: EventType.EventSent, EventId: id, Name, Input, InstanceId: message.instanceId })
      );
      outbound.push({ kind: 'send', message });
      return undefined;
    }
    case ActionType.ReleaseEntities:
      // The library numbers a release once per entity of the section.
      releaseLocks(identity, state, history, outbound, now);
      return undefined;
    case ActionType.WaitForExternalEvent:
    case ActionType.ContinueAsNew:
      return undefined;
    default:
      return `The local host does not run ${describeAction({ type: action.actionType, name: actionName(action) })}.`;
  }
}

function releaseLocks(
  identity: InstanceIdentity,
  state: ExecutionState,
  history: HistoryEvent[],
  outbound: Outbound[],
  now: Date
) {
  for (const entity of state.locks ?? []) {
    const message = releaseMessage(entity, identity.instanceId, randomUUID(), now);
    const { Name, Input } = message.event;
    history.push(
      timestamped(
        { EventType: EventType.EventSent, EventId: state.nextId++, Name, Input, InstanceId: entity },
        now
      )
    );
    outbound.push({ kind: 'send', message });
  }
  delete state.locks;
}

function startSubOrchestration(
  id: number,
  name: string,
  input: string,
  requestedInstanceId: string | undefined,
  identity: InstanceIdentity,
  history: HistoryEvent[],
  outbound: Outbound[],
  now: Date
) {
  const instanceId = requestedInstanceId || `${identity.instanceId}:${id}`;
  history.push(
    timestamped(
      {
        EventType: EventType.SubOrchestrationInstanceCreated,
        EventId: id,
        Name: name,
        InstanceId: instanceId,
        Input: input,
      },
      now
    )
  );
  outbound.push({
    kind: 'start-suborchestration',
    instanceId,
    name,
    input,
    parent: {
      InstanceId: identity.instanceId,
      ExecutionId: identity.executionId,
      TaskScheduleId: id,
      Name: identity.name,
    },
  });
}

function retryState(
  kind: RetryState['kind'],
  name: string,
  input: string,
  instanceId: string | undefined,
  action: OrchestratorAction,
  now: Date
): RetryState {
  const options = action.retryOptions ?? { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 1 };
  return { kind, name, input, instanceId, options, attempt: 1, firstAttemptAt: now.toISOString() };
}

/** The delay before the next attempt, as DTFx computes it; undefined once the retry timeout has passed. */
export function retryDelayMs(
  options: RetryOptions,
  failedAttempts: number,
  firstAttemptAt: Date,
  now: Date
): number | undefined {
  const timeout = options.retryTimeoutInMilliseconds;
  if (timeout !== undefined && timeout > 0 && now.getTime() >= firstAttemptAt.getTime() + timeout)
    return undefined;
  const delay =
    options.firstRetryIntervalInMilliseconds * Math.pow(options.backoffCoefficient ?? 1, failedAttempts - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 ? Math.min(delay, cap) : delay;
}

/**
 * After a failed attempt the library waits on a retry timer (it numbers one even after the last
 * attempt); when that timer fires it either gives up or numbers the next attempt.
 */
function continueRetry(
  event: HistoryEvent,
  identity: InstanceIdentity,
  before: ExecutionState,
  state: ExecutionState,
  history: HistoryEvent[],
  outbound: Outbound[],
  now: Date
) {
  const id = completedTaskId(event);
  const open = id === undefined ? undefined : before.open[id];
  if (!open || !allocatesRetryId(event, open) || open.retryOf === undefined) return;
  const retry = state.retries[open.retryOf];
  if (!retry) return;
  const at = (e: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>) => timestamped(e, now);

  if (event.EventType !== EventType.TimerFired) {
    retry.attempt++;
    const delay = retryDelayMs(retry.options, retry.attempt - 1, new Date(retry.firstAttemptAt), now) ?? 0;
    const timerId = state.nextId++;
    const fireAt = new Date(now.getTime() + delay).toISOString();
    state.open[timerId] = { kind: 'timer', retryOf: open.retryOf };
    history.push(at({ EventType: EventType.TimerCreated, EventId: timerId, FireAt: fireAt }));
    outbound.push({ kind: 'timer', timerId, fireAt });
    return;
  }
  if (retry.attempt > retry.options.maxNumberOfAttempts) {
    delete state.retries[open.retryOf];
    return;
  }
  const taskId = state.nextId++;
  state.open[taskId] = { kind: retry.kind, name: retry.name, retryOf: open.retryOf };
  const timedOut =
    retryDelayMs(retry.options, retry.attempt - 1, new Date(retry.firstAttemptAt), now) === undefined;
  if (timedOut) {
    // The library only gives up after maxNumberOfAttempts, so the remaining attempts fail at once.
    const reason = `Retry timeout of ${retry.options.retryTimeoutInMilliseconds} ms exceeded before attempt ${retry.attempt}.`;
    const failedType =
      retry.kind === 'activity' ? EventType.TaskFailed : EventType.SubOrchestrationInstanceFailed;
    const scheduledType =
      retry.kind === 'activity' ? EventType.TaskScheduled : EventType.SubOrchestrationInstanceCreated;
    history.push(at({ EventType: scheduledType, EventId: taskId, Name: retry.name, Input: retry.input }));
    outbound.push({
      kind: 'to-self',
      event: at({
        EventType: failedType,
        EventId: -1,
        TaskScheduledId: taskId,
        Reason: reason,
        Details: reason,
      }),
    });
    return;
  }
  if (retry.kind === 'activity') {
    history.push(
      at({ EventType: EventType.TaskScheduled, EventId: taskId, Name: retry.name, Input: retry.input })
    );
    outbound.push({ kind: 'activity', taskId, name: retry.name, input: retry.input });
  } else {
    startSubOrchestration(
      taskId,
      retry.name,
      retry.input,
      retry.instanceId,
      identity,
      history,
      outbound,
      now
    );
  }
}

function failWith(
  identity: InstanceIdentity,
  state: ExecutionState,
  history: HistoryEvent[],
  outbound: Outbound[],
  customStatus: unknown,
  error: string,
  now: Date
): EpisodeDecision {
  const at = (event: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>) => timestamped(event, now);
  history.push(
    at({ EventType: EventType.ExecutionCompleted, EventId: -1, OrchestrationStatus: 'Failed', Result: error })
  );
  // Work scheduled in the failing episode would only run for nobody.
  outbound.splice(0, outbound.length);
  releaseLocks(identity, state, history, outbound, now);
  if (identity.parent) {
    outbound.push({
      kind: 'to-parent',
      parent: identity.parent,
      event: at({
        EventType: EventType.SubOrchestrationInstanceFailed,
        EventId: -1,
        TaskScheduledId: identity.parent.TaskScheduleId,
        Reason: firstLine(error),
        Details: error,
      }),
    });
  }
  return { history, outbound, state, outcome: { status: 'Failed', error, customStatus } };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Raised events no wait consumed: the library matches waits to events of the same name in order. */
function unprocessedEvents(history: HistoryEvent[], flat: OrchestratorAction[]): HistoryEvent[] {
  const waits = new Map<string, number>();
  for (const action of flat) {
    if (action.actionType === ActionType.WaitForExternalEvent && action.externalEventName) {
      waits.set(action.externalEventName, (waits.get(action.externalEventName) ?? 0) + 1);
    }
  }
  const carried: HistoryEvent[] = [];
  for (const event of history) {
    if (event.EventType !== EventType.EventRaised || !event.Name) continue;
    const remaining = waits.get(event.Name) ?? 0;
    if (remaining > 0) waits.set(event.Name, remaining - 1);
    else carried.push(event);
  }
  return carried;
}
