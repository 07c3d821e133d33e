import type {
  Journey,
  JourneyCondition,
  JourneyExit,
  JourneyNode,
  JourneySplitter,
  JourneyStep,
} from '../../../shared/domain/journeys/journey';
import {
  nextCommands,
  startJourney,
  type InterpreterOptions,
  type InterpreterResult,
  type JourneyCommand,
  type JourneyInstanceState,
  type JourneyOutcome,
} from '../../../shared/domain/journeys/interpret-journey';

export const INSTANCE = 'order:o-1:j-1';
export const NOW = '2026-12-02T02:00:00.000Z';

export function journeyOf(steps: JourneyNode[], startEvent = 'New Order'): Journey {
  return {
    id: 'j-1',
    name: 'Test journey',
    type: 'order',
    startEvent,
    steps,
    version: 1,
    status: 'published',
  };
}

export function step(name: string, inputEvents: string[], extra: Partial<JourneyStep> = {}): JourneyStep {
  return { kind: 'step', name, action: 'custom', inputEvents, ...extra };
}

export function condition(
  name: string,
  inputEvent: string,
  trueEvent: string,
  falseEvent: string
): JourneyCondition {
  return { kind: 'condition', name, inputEvents: [inputEvent], filterPolicyId: 'p-1', trueEvent, falseEvent };
}

export function splitter(name: string, inputEvent: string, events: string[]): JourneySplitter {
  return { kind: 'splitter', name, inputEvents: [inputEvent], branches: events.map((event) => ({ event })) };
}

export function exit(name: string, inputEvents: string[]): JourneyExit {
  return { kind: 'exit', name, inputEvents };
}

/** Drives an instance outcome by outcome, keeping every command issued. */
export class Driver {
  state: JourneyInstanceState;
  last: InterpreterResult;
  readonly commands: JourneyCommand[] = [];

  constructor(
    readonly journey: Journey,
    readonly options: InterpreterOptions = {}
  ) {
    this.last = startJourney(journey, INSTANCE, options);
    this.state = this.last.state;
    this.commands.push(...this.last.commands);
  }

  send(outcome: JourneyOutcome, now = NOW): readonly JourneyCommand[] {
    this.last = nextCommands(this.journey, this.state, outcome, now, this.options);
    this.state = this.last.state;
    this.commands.push(...this.last.commands);
    return this.last.commands;
  }

  /** The run id of the one running run (or raise) of `node`. */
  runOf(node: string): string {
    const runs = this.state.running.filter((r) => r.node === node);
    if (runs.length !== 1) throw new Error(`${node} has ${runs.length} runs in flight`);
    return runs[0]!.runId;
  }

  succeed(node: string, events?: string[]): readonly JourneyCommand[] {
    return this.send({ type: 'succeeded', runId: this.runOf(node), ...(events ? { events } : {}) });
  }

  fail(node: string, reason = 'boom'): readonly JourneyCommand[] {
    return this.send({ type: 'failed', runId: this.runOf(node), reason });
  }
}

export function runNodes(commands: readonly JourneyCommand[]): string[] {
  return commands.filter((c) => c.type === 'run').map((c) => (c as { node: string }).node);
}
