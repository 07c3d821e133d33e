import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
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

/** Activities are retried by Durable on infrastructure errors; a step's own failure is an answer. */
const stepRetry = new df.RetryOptions(1000, 5);
stepRetry.backoffCoefficient = 2;
stepRetry.maxRetryIntervalInMilliseconds = 30_000;

type StepCommand = Extract<JourneyCommand, { type: 'run' | 'raise' }>;

/**
 * The journey orchestrator: a thin loop around the pure interpreter (interpret-journey.ts). It loads
 * the journey version the instance started with (through an activity, so replay sees the same one),
 * runs the step activities the interpreter asks for one at a time, and when only waits are left,
 * waits for whichever comes first: a wait's deadline, a business event raised on the entity from
 * outside, or an operation (reprocess, cancel). Its custom status is the journey view `GET
 * /api/v1/orders/{id}` shows. Deterministic: decisions come from the interpreter, time from
 * `currentUtcDateTime`.
 *
 * Every task is yielded exactly once: `durable-functions` schedules a task's action again when it is
 * yielded in a second `Task.any`, so timers are made afresh for each wait and abandoned ones
 * cancelled. External events are never lost while a step runs: Durable keeps them until the
 * orchestrator waits for them, and one that came before any wait expected it (a shipment confirmed
 * while the journey was still sending) is kept for the wait that begins later.
 */
export function* journeyOrchestrator(context: OrchestrationContext): Generator<Task, unknown, unknown> {
  const input = context.df.getInput<JourneyInstanceInput>();
  const journey = (yield context.df.callActivity(journeyFunctions.loadJourney, input.journey)) as Journey;
  const steps: StepCommand[] = [];
  let eventTask = context.df.waitForExternalEvent(JOURNEY_EXTERNAL_EVENTS.event);
  let controlTask = context.df.waitForExternalEvent(JOURNEY_EXTERNAL_EVENTS.control);
  let decided = startJourney(journey, input.journey.instanceId);
  let state = decided.state;
  // Events no wait expected when they came: a wait that begins later takes its event from here.
  const early: JourneyEventInput[] = [];

  for (;;) {
    for (const command of decided.commands) {
      if (command.type === 'run' || command.type === 'raise') steps.push(command);
      else if (command.type === 'fail') {
        yield context.df.callActivityWithRetry(journeyFunctions.failure, stepRetry, { input, command });
      }
    }
    context.df.setCustomStatus(journeyStatusView(journey, state));
    if (isJourneyEnded(state)) return state;

    let outcome: JourneyOutcome | undefined;
    if (controlTask.isCompleted) {
      outcome = controlOutcome(controlTask.result as JourneyControlInput);
      controlTask = context.df.waitForExternalEvent(JOURNEY_EXTERNAL_EVENTS.control);
    } else if (steps.length > 0) {
      outcome = yield* runStep(steps.shift()!);
    } else if (eventTask.isCompleted) {
      const event = eventTask.result as JourneyEventInput;
      outcome = arrived(state, event);
      if (outcome === undefined) early.push(event);
      eventTask = context.df.waitForExternalEvent(JOURNEY_EXTERNAL_EVENTS.event);
    } else if (early.some((event) => arrived(state, event) !== undefined)) {
      const index = early.findIndex((event) => arrived(state, event) !== undefined);
      outcome = arrived(state, early.splice(index, 1)[0]!);
    } else {
      const timers = state.waiting.map((wait) => ({
        runId: wait.runId,
        timer: context.df.createTimer(new Date(wait.deadline)),
      }));
      const winner = (yield context.df.Task.any([
        ...timers.map((t) => t.timer),
        eventTask,
        controlTask,
      ])) as Task;
      for (const { timer } of timers) if (timer !== winner) timer.cancel();
      if (winner === controlTask || winner === eventTask) {
        decided = { state, commands: [] }; // handled at the top of the loop
        continue;
      }
      outcome = { type: 'timedOut', runId: timers.find((t) => t.timer === winner)!.runId };
    }
    if (outcome === undefined) {
      decided = { state, commands: [] };
      continue;
    }
    decided = nextCommands(journey, state, outcome, context.df.currentUtcDateTime.toISOString());
    state = decided.state;
  }

  /** Runs one step activity; a step the action asks to run later is run again after a timer. */
  function* runStep(command: StepCommand): Generator<Task, JourneyOutcome, unknown> {
    for (;;) {
      let answer: StepAnswer;
      try {
        answer = (yield context.df.callActivityWithRetry(journeyFunctions.step, stepRetry, {
          input,
          command,
        })) as StepAnswer;
      } catch (err) {
        // The error's first line: Durable appends the activity's stack to the message.
        const reason = (err as Error).message.split('\n')[0]!.trim();
        return { type: 'failed', runId: command.runId, reason };
      }
      if (answer.type !== 'deferred') return outcomeOf(command.runId, answer);
      // A batch window is still open: the same run (same id) goes again when it closes.
      yield context.df.createTimer(new Date(answer.until));
    }
  }
}

function outcomeOf(runId: string, answer: Exclude<StepAnswer, { type: 'deferred' }>): JourneyOutcome {
  switch (answer.type) {
    case 'failed':
      return { type: 'failed', runId, reason: answer.reason };
    case 'skipped':
      return { type: 'skipped', runId };
    case 'succeeded':
      return { type: 'succeeded', runId, ...(answer.events ? { events: answer.events } : {}) };
  }
}

function controlOutcome(control: JourneyControlInput): JourneyOutcome {
  return control.type === 'cancel'
    ? { type: 'cancel', ...(control.reason ? { reason: control.reason } : {}) }
    : { type: 'reprocess' };
}

/** An event raised on the entity from outside ends the wait for it, if one waits for it. */
function arrived(state: JourneyInstanceState, event: JourneyEventInput): JourneyOutcome | undefined {
  const wait = state.waiting.find((w) => w.event === event.event);
  return wait === undefined ? undefined : { type: 'eventArrived', runId: wait.runId, event: event.event };
}
