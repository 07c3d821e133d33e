import * as df from 'durable-functions';
import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import {
  isJourneyEnded,
  nextCommands,
  startJourney,
  type JourneyCommand,
  type JourneyInstanceState,
  type JourneyOutcome,
} from '../../domain/journeys/interpret-journey';
import type { Journey } from '../../domain/journeys/journey';
import {
  JOURNEY_EXTERNAL_EVENTS,
  journeyStatusView,
  type JourneyControlInput,
  type JourneyEventInput,
  type JourneyInstanceInput,
  type StepAnswer,
} from '../../domain/journeys/journey-runtime';

/** Names the orchestrator and its activities are registered under (functions/journey-runtime.ts). */
export const journeyFunctions = {
  orchestrator: 'journeyOrchestrator',
  loadJourney: 'loadJourneyVersion',
  step: 'runJourneyStep',
  failure: 'recordJourneyFailure',
} as const;

const journeyExternalEvents = JOURNEY_EXTERNAL_EVENTS;

/** Activities are retried by Durable on infrastructure errors; a step's own failure is an answer. */
const stepRetry = new df.RetryOptions(1000, 5);
stepRetry.backoffCoefficient = 2;
stepRetry.maxRetryIntervalInMilliseconds = 30_000;

type Pending =
  | { kind: 'step'; command: Extract<JourneyCommand, { type: 'run' | 'raise' }> }
  | { kind: 'timeout'; runId: string }
  | { kind: 'deferred'; command: Extract<JourneyCommand, { type: 'run' | 'raise' }> }
  | { kind: 'failure' };

/**
 * The journey orchestrator: a thin loop around the pure interpreter (interpret-journey.ts). It loads
 * the journey version the instance started with (through an activity, so replay sees the same one),
 * turns each command into an activity call, a timer or nothing, and feeds back whatever finishes
 * first: a step's answer, a timer, a business event raised on the entity from outside, or an
 * operation (reprocess, cancel). Its custom status is the journey view `GET /api/v1/orders/{id}`
 * shows. Deterministic: decisions come from the interpreter, time from `currentUtcDateTime`.
 */
export function* journeyOrchestrator(context: OrchestrationContext): Generator<Task, unknown, unknown> {
  const input = context.df.getInput<JourneyInstanceInput>();
  const journey = (yield context.df.callActivity(journeyFunctions.loadJourney, input.journey)) as Journey;
  const pending = new Map<Task, Pending>();
  const timers = new Map<string, TimerTask>();
  let eventTask = context.df.waitForExternalEvent(journeyExternalEvents.event);
  let controlTask = context.df.waitForExternalEvent(journeyExternalEvents.control);
  let { state, commands } = startJourney(journey, input.journey.instanceId);

  for (;;) {
    for (const command of commands) issue(command);
    context.df.setCustomStatus(journeyStatusView(journey, state));
    if (isJourneyEnded(state)) {
      for (const timer of timers.values()) timer.cancel();
      return state;
    }
    const outcome = yield* nextOutcome();
    if (outcome === undefined) {
      commands = [];
      continue;
    }
    ({ state, commands } = nextCommands(
      journey,
      state,
      outcome,
      context.df.currentUtcDateTime.toISOString()
    ));
  }

  function issue(command: JourneyCommand): void {
    switch (command.type) {
      case 'run':
      case 'raise': {
        const task = context.df.callActivityWithRetry(journeyFunctions.step, stepRetry, { input, command });
        pending.set(task, { kind: 'step', command });
        return;
      }
      case 'wait': {
        const timer = context.df.createTimer(new Date(command.deadline));
        timers.set(command.runId, timer);
        pending.set(timer, { kind: 'timeout', runId: command.runId });
        return;
      }
      case 'fail': {
        const task = context.df.callActivityWithRetry(journeyFunctions.failure, stepRetry, {
          input,
          command,
        });
        pending.set(task, { kind: 'failure' });
        return;
      }
      case 'complete':
      case 'cancel':
        return; // the loop ends once the state says so
    }
  }

  /** Waits for the next thing to happen and turns it into an outcome (undefined: nothing to tell). */
  function* nextOutcome(): Generator<Task, JourneyOutcome | undefined, unknown> {
    // A task may have finished in the same episode as the last winner: take it without yielding.
    const ready = [...pending.keys(), eventTask, controlTask].find((t) => t.isCompleted || t.isFaulted);
    const winner =
      ready ?? ((yield context.df.Task.any([...pending.keys(), eventTask, controlTask])) as Task);
    if (winner === eventTask) {
      eventTask = context.df.waitForExternalEvent(journeyExternalEvents.event);
      return arrived(state, winner.result as JourneyEventInput);
    }
    if (winner === controlTask) {
      controlTask = context.df.waitForExternalEvent(journeyExternalEvents.control);
      const control = winner.result as JourneyControlInput;
      return control.type === 'cancel'
        ? { type: 'cancel', ...(control.reason ? { reason: control.reason } : {}) }
        : { type: 'reprocess' };
    }
    const done = pending.get(winner)!;
    pending.delete(winner);
    switch (done.kind) {
      case 'failure':
        return undefined;
      case 'timeout':
        timers.delete(done.runId);
        return { type: 'timedOut', runId: done.runId };
      case 'deferred': {
        const task = context.df.callActivityWithRetry(journeyFunctions.step, stepRetry, {
          input,
          command: done.command,
        });
        pending.set(task, { kind: 'step', command: done.command });
        return undefined;
      }
      case 'step': {
        const { runId } = done.command;
        if (winner.isFaulted) {
          return { type: 'failed', runId, reason: (winner.result as Error | undefined)?.message ?? 'failed' };
        }
        const answer = winner.result as StepAnswer;
        if (answer.type === 'deferred') {
          // The action asked to be run again later (a batch window still open): same run, same id.
          const timer = context.df.createTimer(new Date(answer.until));
          pending.set(timer, { kind: 'deferred', command: done.command });
          return undefined;
        }
        return answer.type === 'failed'
          ? { type: 'failed', runId, reason: answer.reason }
          : answer.type === 'skipped'
            ? { type: 'skipped', runId }
            : { type: 'succeeded', runId, ...(answer.events ? { events: answer.events } : {}) };
      }
    }
  }

  /** An event raised on the entity from outside ends the wait for it, if one waits. */
  function arrived(current: JourneyInstanceState, event: JourneyEventInput): JourneyOutcome | undefined {
    const wait = current.waiting.find((w) => w.event === event.event);
    if (wait === undefined) return undefined;
    timers.get(wait.runId)?.cancel();
    const timer = timers.get(wait.runId);
    if (timer !== undefined) pending.delete(timer);
    timers.delete(wait.runId);
    return { type: 'eventArrived', runId: wait.runId, event: event.event };
  }
}
