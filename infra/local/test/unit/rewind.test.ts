import { newExecutionState, timestamped } from '../../durable/episode';
import { EventType, type HistoryEvent } from '../../durable/history';
import { rewindExecution, rewoundEventName } from '../../durable/rewind';

const now = new Date('2026-01-01T00:00:00.000Z');
const at = (event: Omit<HistoryEvent, 'Timestamp' | 'IsPlayed'>) => timestamped(event, now);
const started = () => at({ EventType: EventType.OrchestratorStarted, EventId: -1 });
const completed = () => at({ EventType: EventType.OrchestratorCompleted, EventId: -1 });

describe('rewinding a failed execution', () => {
  it('takes out the failures, opens the failed tasks again and keeps the history length', () => {
    const history: HistoryEvent[] = [
      started(),
      at({ EventType: EventType.ExecutionStarted, EventId: -1, Name: 'orch', Input: 'null' }),
      at({ EventType: EventType.TaskScheduled, EventId: 0, Name: 'ok', Input: '1' }),
      completed(),
      started(),
      at({ EventType: EventType.TaskCompleted, EventId: -1, TaskScheduledId: 0, Result: '2' }),
      at({ EventType: EventType.TaskScheduled, EventId: 1, Name: 'flaky', Input: '"k"' }),
      at({
        EventType: EventType.SubOrchestrationInstanceCreated,
        EventId: 2,
        Name: 'child',
        InstanceId: 'c',
        Input: '3',
      }),
      completed(),
      started(),
      at({ EventType: EventType.TaskFailed, EventId: -1, TaskScheduledId: 1, Reason: 'boom' }),
      at({
        EventType: EventType.SubOrchestrationInstanceFailed,
        EventId: -1,
        TaskScheduledId: 2,
        Reason: 'child boom',
      }),
      at({
        EventType: EventType.ExecutionCompleted,
        EventId: -1,
        OrchestrationStatus: 'Failed',
        Result: 'boom',
      }),
      completed(),
    ];
    const state = { ...newExecutionState(), nextId: 3 };
    const plan = rewindExecution(history, state, 'fixed');

    expect(plan.history).toHaveLength(history.length);
    const rewound = plan.history.filter((e) => e.EventType === EventType.GenericEvent);
    expect(rewound).toHaveLength(3);
    expect(rewound.every((e) => e.Name === rewoundEventName && e.Reason === 'fixed')).toBe(true);
    expect(plan.history.some((e) => e.EventType === EventType.TaskFailed)).toBe(false);
    expect(plan.history.some((e) => e.EventType === EventType.ExecutionCompleted)).toBe(false);
    expect(plan.rerun).toEqual([
      { kind: 'activity', taskId: 1, name: 'flaky', input: '"k"' },
      { kind: 'suborchestration', taskId: 2, name: 'child', input: '3', instanceId: 'c' },
    ]);
    expect(plan.state.open).toEqual({
      1: { kind: 'activity', name: 'flaky' },
      2: { kind: 'suborchestration', name: 'child' },
    });
    expect(state.open).toEqual({});
  });

  it('leaves the failures of a call with retries as they are: each was followed by a retry timer', () => {
    const history: HistoryEvent[] = [
      started(),
      at({ EventType: EventType.TaskScheduled, EventId: 0, Name: 'flaky', Input: '1' }),
      completed(),
      started(),
      at({ EventType: EventType.TaskFailed, EventId: -1, TaskScheduledId: 0, Reason: 'boom' }),
      at({ EventType: EventType.TimerCreated, EventId: 1, FireAt: now.toISOString() }),
      completed(),
      started(),
      at({
        EventType: EventType.ExecutionCompleted,
        EventId: -1,
        OrchestrationStatus: 'Failed',
        Result: 'x',
      }),
      completed(),
    ];
    const plan = rewindExecution(history, newExecutionState(), '');
    expect(plan.rerun).toEqual([]);
    expect(plan.history.filter((e) => e.EventType === EventType.TaskFailed)).toHaveLength(1);
    expect(plan.history.some((e) => e.EventType === EventType.ExecutionCompleted)).toBe(false);
  });
});
