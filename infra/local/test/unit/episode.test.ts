import {
  applySuspension,
  decideEpisode,
  flattenActions,
  newExecutionState,
  retryDelayMs,
  selectEvents,
  timestamped,
  type ExecutionState,
  type InstanceIdentity,
} from '../../durable/episode';
import { ActionType, EventType, type HistoryEvent, type OrchestratorAction } from '../../durable/history';

const now = new Date('2026-01-01T00:00:00.000Z');
const identity: InstanceIdentity = { instanceId: 'i1', executionId: 'e1', name: 'orch' };
const activity = (name: string, input: unknown = null): OrchestratorAction => ({
  actionType: ActionType.CallActivity,
  functionName: name,
  input,
});
const completed = (id: number, result: unknown = null): HistoryEvent =>
  timestamped(
    { EventType: EventType.TaskCompleted, EventId: -1, TaskScheduledId: id, Result: JSON.stringify(result) },
    now
  );
const failed = (id: number): HistoryEvent =>
  timestamped(
    { EventType: EventType.TaskFailed, EventId: -1, TaskScheduledId: id, Reason: 'boom', Details: 'boom' },
    now
  );
const fired = (id: number): HistoryEvent =>
  timestamped({ EventType: EventType.TimerFired, EventId: -1, TimerId: id, FireAt: now.toISOString() }, now);

function run(state: ExecutionState, accepted: HistoryEvent[], actions: OrchestratorAction[], extra = {}) {
  return decideEpisode({
    identity,
    state,
    accepted,
    history: [],
    now,
    result: { isDone: false, actions: [actions], ...extra },
  });
}

describe('scheduling actions', () => {
  it('numbers activities, timers and sub-orchestrations in order, and waits take no number', () => {
    const decision = run(
      newExecutionState(),
      [],
      [
        activity('a'),
        { actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' },
        { actionType: ActionType.CreateTimer, fireAt: '2026-01-02T00:00:00.000Z' },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'child', input: 1 },
      ]
    );
    expect(decision.history.map((e) => [e.EventType, e.EventId])).toEqual([
      [EventType.TaskScheduled, 0],
      [EventType.TimerCreated, 1],
      [EventType.SubOrchestrationInstanceCreated, 2],
    ]);
    expect(decision.outbound.map((o) => o.kind)).toEqual(['activity', 'timer', 'start-suborchestration']);
    expect(decision.outbound[2]).toMatchObject({
      instanceId: 'i1:2',
      parent: { InstanceId: 'i1', TaskScheduleId: 2 },
    });
    expect(decision.state.nextId).toBe(3);
  });

  it('JSON-encodes sub-orchestration inputs, which the library leaves raw (strings included)', () => {
    const decision = run(
      newExecutionState(),
      [],
      [
        { actionType: ActionType.CallSubOrchestrator, functionName: 'child', input: 'x' },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'child', input: '42' },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'child' },
        // Activity inputs arrive already encoded: a string input is '"x"' here.
        activity('a', '"x"'),
      ]
    );
    expect(decision.outbound.map((o) => ('input' in o ? o.input : undefined))).toEqual([
      '"x"',
      '"42"',
      'null',
      '"x"',
    ]);
  });

  it('flattens Task.all and Task.any depth-first', () => {
    const flat = flattenActions([
      [
        activity('a'),
        {
          actionType: ActionType.WhenAll,
          compoundActions: [
            activity('b'),
            { actionType: ActionType.WhenAny, compoundActions: [activity('c')] },
          ],
        },
      ],
    ]);
    expect(flat.map((a) => a.functionName)).toEqual(['a', 'b', 'c']);
  });

  it('only schedules what is new since the last episode', () => {
    const first = run(newExecutionState(), [], [activity('a')]);
    const second = run(first.state, [completed(0, 1)], [activity('a'), activity('b')]);
    expect(second.history.map((e) => e.Name)).toEqual(['b']);
    expect(second.outbound).toEqual([{ kind: 'activity', taskId: 1, name: 'b', input: 'null' }]);
  });

  it('fails the instance when the code schedules something else than its history holds', () => {
    const first = run(newExecutionState(), [], [activity('a')]);
    const second = run(first.state, [completed(0)], [activity('other')]);
    expect(second.outcome).toMatchObject({ status: 'Failed' });
    expect((second.outcome as { error: string }).error).toMatch(
      /Non-deterministic workflow detected.*CallActivity\("a"\).*CallActivity\("other"\)/
    );
    expect(second.outbound).toEqual([]);
  });

  it('refuses an action it does not know with a clear error', () => {
    const decision = run(newExecutionState(), [], [{ actionType: 99 }]);
    expect((decision.outcome as { error: string }).error).toContain('does not run 99');
  });

  it('locks entities in a critical section and releases each, numbering a release per entity', () => {
    const lockSet = [
      { name: 'tally', key: 'a' },
      { name: 'tally', key: 'b' },
    ];
    const locked = run(
      newExecutionState(),
      [],
      [{ actionType: ActionType.LockEntities, lockSet, lockRequestId: 'lock-1' }]
    );
    expect(locked.state.locks).toEqual(['@tally@a', '@tally@b']);
    expect(locked.outbound).toHaveLength(1);
    expect(locked.outbound[0]).toMatchObject({ kind: 'send', message: { instanceId: '@tally@a' } });
    expect(JSON.parse(locked.history[0]!.Input!)).toMatchObject({
      id: 'lock-1',
      lockset: ['@tally@a', '@tally@b'],
      pos: 0,
    });

    const released = run(
      locked.state,
      [],
      [
        { actionType: ActionType.LockEntities, lockSet, lockRequestId: 'lock-1' },
        { actionType: ActionType.ReleaseEntities },
        activity('after'),
      ]
    );
    expect(released.state.locks).toBeUndefined();
    expect(released.history.map((e) => [e.EventType, e.EventId, e.InstanceId])).toEqual([
      [EventType.EventSent, 1, '@tally@a'],
      [EventType.EventSent, 2, '@tally@b'],
      [EventType.TaskScheduled, 3, undefined],
    ]);
  });

  it('frees the entities a failing execution holds', () => {
    const lockSet = [{ name: 'tally', key: 'a' }];
    const locked = run(newExecutionState(), [], [{ actionType: ActionType.LockEntities, lockSet }]);
    const failed = run(locked.state, [], [{ actionType: ActionType.LockEntities, lockSet }], {
      error: 'boom',
    });
    expect(failed.outcome.status).toBe('Failed');
    expect(failed.outbound).toMatchObject([{ kind: 'send', message: { instanceId: '@tally@a' } }]);
  });

  it('numbers entity operations and HTTP calls as tasks, recording what a replay needs', () => {
    const decision = run(
      newExecutionState(),
      [],
      [
        { actionType: ActionType.CallEntity, instanceId: '@tally@k', operation: 'get' },
        { actionType: ActionType.SignalEntity, instanceId: '@tally@k', operation: 'add', input: 2 },
        { actionType: ActionType.CallHttp, httpRequest: { method: 'GET', uri: 'http://x/' } },
      ]
    );
    expect(decision.outcome.status).toBe('Running');
    const [call, signal, http] = decision.history;
    expect(call).toMatchObject({
      EventType: EventType.EventSent,
      EventId: 0,
      Name: 'op',
      InstanceId: '@tally@k',
    });
    const request = JSON.parse(call!.Input!) as Record<string, unknown>;
    expect(request).toMatchObject({ op: 'get', signal: false, parent: 'i1', parentExecution: 'e1' });
    expect(JSON.parse(signal!.Input!)).toMatchObject({ op: 'add', signal: true, input: '2' });
    expect(http).toMatchObject({
      EventType: EventType.TaskScheduled,
      EventId: 2,
      Name: 'BuiltIn::HttpActivity',
    });
    expect(decision.state.open).toEqual({ 2: { kind: 'activity', name: 'BuiltIn::HttpActivity' } });
    expect(decision.outbound.map((o) => o.kind)).toEqual(['send', 'send', 'http']);
  });
});

describe('delivering events', () => {
  const withOpen = (): ExecutionState => run(newExecutionState(), [], [activity('a'), activity('b')]).state;

  it('drops completions it has already seen and holds those for tasks not yet scheduled', () => {
    const state = withOpen();
    const after = run(state, [completed(0)], [activity('a'), activity('b')]).state;
    const selection = selectEvents(after, [completed(0), completed(1), completed(7)]);
    expect(selection.accepted.map((e) => e.TaskScheduledId)).toEqual([1]);
    expect(selection.duplicates.map((e) => e.TaskScheduledId)).toEqual([0]);
    expect(selection.held.map((e) => e.TaskScheduledId)).toEqual([7]);
  });

  it('delivers a retry-relevant event last and only one per episode', () => {
    const retryAction: OrchestratorAction = {
      actionType: ActionType.CallActivityWithRetry,
      functionName: 'r',
      retryOptions: { firstRetryIntervalInMilliseconds: 100, maxNumberOfAttempts: 3 },
    };
    const state = run(newExecutionState(), [], [retryAction, retryAction, activity('x')]).state;
    const selection = selectEvents(state, [failed(0), failed(1), completed(2)]);
    expect(selection.accepted.map((e) => e.TaskScheduledId)).toEqual([2, 0]);
    expect(selection.held.map((e) => e.TaskScheduledId)).toEqual([1]);
  });
});

describe('retries', () => {
  const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 2, backoffCoefficient: 2 };
  const retryAction: OrchestratorAction = {
    actionType: ActionType.CallActivityWithRetry,
    functionName: 'r',
    retryOptions: options,
  };

  it('numbers a retry timer after a failure, then a new attempt, then gives up after the last one', () => {
    const scheduled = run(newExecutionState(), [], [retryAction]);
    const afterFailure = run(scheduled.state, [failed(0)], [retryAction]);
    expect(afterFailure.history).toMatchObject([
      { EventType: EventType.TimerCreated, EventId: 1, FireAt: '2026-01-01T00:00:01.000Z' },
    ]);
    const afterTimer = run(afterFailure.state, [fired(1)], [retryAction]);
    expect(afterTimer.outbound).toEqual([{ kind: 'activity', taskId: 2, name: 'r', input: 'null' }]);
    const secondFailure = run(afterTimer.state, [failed(2)], [retryAction]);
    expect(secondFailure.history).toMatchObject([
      { EventType: EventType.TimerCreated, EventId: 3, FireAt: '2026-01-01T00:00:02.000Z' },
    ]);
    const exhausted = run(secondFailure.state, [fired(3)], [retryAction]);
    expect(exhausted.outbound).toEqual([]);
    expect(exhausted.state.nextId).toBe(4);
  });

  it('computes DTFx delays: backoff, a cap, and none once the retry timeout has passed', () => {
    const first = new Date(0);
    const opts = {
      firstRetryIntervalInMilliseconds: 100,
      maxNumberOfAttempts: 9,
      backoffCoefficient: 3,
      maxRetryIntervalInMilliseconds: 500,
      retryTimeoutInMilliseconds: 10_000,
    };
    expect(retryDelayMs(opts, 1, first, new Date(1))).toBe(100);
    expect(retryDelayMs(opts, 2, first, new Date(1))).toBe(300);
    expect(retryDelayMs(opts, 3, first, new Date(1))).toBe(500);
    expect(retryDelayMs(opts, 2, first, new Date(10_000))).toBeUndefined();
  });
});

describe('finishing', () => {
  it('completes and tells the parent', () => {
    const parent = { InstanceId: 'p', ExecutionId: 'pe', TaskScheduleId: 4, Name: 'parent' };
    const decision = decideEpisode({
      identity: { ...identity, parent },
      state: newExecutionState(),
      accepted: [],
      history: [],
      now,
      result: { isDone: true, actions: [[]], output: { ok: true } },
    });
    expect(decision.outcome).toMatchObject({ status: 'Completed', output: { ok: true } });
    expect(decision.outbound).toMatchObject([
      {
        kind: 'to-parent',
        event: {
          EventType: EventType.SubOrchestrationInstanceCompleted,
          TaskScheduledId: 4,
          Result: '{"ok":true}',
        },
      },
    ]);
  });

  it('continues as new carrying only the raised events nobody waited for', () => {
    const raised = (name: string) =>
      timestamped({ EventType: EventType.EventRaised, EventId: -1, Name: name, Input: '1' }, now);
    const decision = decideEpisode({
      identity,
      state: newExecutionState(),
      accepted: [raised('a'), raised('b')],
      history: [raised('a')],
      now,
      result: {
        isDone: true,
        actions: [
          [
            { actionType: ActionType.WaitForExternalEvent, externalEventName: 'a' },
            { actionType: ActionType.ContinueAsNew, input: 5, preserveUnprocessedEvents: true },
          ],
        ],
      },
    });
    expect(decision.outcome.status).toBe('ContinuedAsNew');
    const next = decision.outbound.find((o) => o.kind === 'continue-as-new') as {
      input: string;
      carriedEvents: HistoryEvent[];
    };
    expect(next.input).toBe('5');
    expect(next.carriedEvents.map((e) => e.Name)).toEqual(['a', 'b']);
  });
});

describe('suspension', () => {
  const suspend = (reason = '') =>
    timestamped({ EventType: EventType.ExecutionSuspended, EventId: -1, Reason: reason }, now);
  const resume = () => timestamped({ EventType: EventType.ExecutionResumed, EventId: -1 }, now);

  it('records a suspend of a running instance and a resume of a suspended one', () => {
    const suspended = suspend('maintenance');
    expect(applySuspension(false, [suspended])).toEqual({ suspended: true, history: [suspended] });
    const resumed = resume();
    expect(applySuspension(true, [resumed])).toEqual({ suspended: false, history: [resumed] });
  });

  it('changes nothing on a suspend of a suspended instance or a resume of a running one', () => {
    expect(applySuspension(true, [suspend()])).toEqual({ suspended: true, history: [] });
    expect(applySuspension(false, [resume()])).toEqual({ suspended: false, history: [] });
  });

  it('applies requests of one episode in arrival order', () => {
    const [s1, r1, r2, s2] = [suspend('first'), resume(), resume(), suspend('second')];
    expect(applySuspension(false, [s1, r1, r2, s2])).toEqual({ suspended: true, history: [s1, r1, s2] });
  });
});
