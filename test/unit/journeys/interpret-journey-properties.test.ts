import fc from 'fast-check';
import type { Journey, JourneyNode } from '../../../shared/domain/journeys/journey';
import {
  nextCommands,
  startJourney,
  type InterpreterResult,
  type JourneyCommand,
  type JourneyInstanceState,
  type JourneyOutcome,
} from '../../../shared/domain/journeys/interpret-journey';
import { INSTANCE, journeyOf, NOW } from './interpreter-fixtures';

type Spec = { kind: 'step' | 'wait' | 'condition' | 'splitter' | 'exit'; input: number };

/** A journey without cycles: node i listens for an event raised by the start or a node before it. */
function buildJourney(specs: Spec[]): Journey {
  const events = ['New Order'];
  const nodes: JourneyNode[] = specs.map((spec, i) => {
    const input = events[spec.input % events.length]!;
    const name = `n${i}`;
    let node: JourneyNode;
    switch (spec.kind) {
      case 'step':
        node = { kind: 'step', name, action: 'custom', inputEvents: [input], successEvent: `${name} ok` };
        break;
      case 'wait':
        node = {
          kind: 'step',
          name,
          action: 'custom',
          inputEvents: [input],
          successEvent: `${name} ok`,
          wait: { event: 'Shipment', timeoutSeconds: 60, timeoutEvent: `${name} late` },
        };
        break;
      case 'condition':
        node = {
          kind: 'condition',
          name,
          inputEvents: [input],
          filterPolicyId: 'p',
          trueEvent: `${name} yes`,
          falseEvent: `${name} no`,
        };
        break;
      case 'splitter':
        node = {
          kind: 'splitter',
          name,
          inputEvents: [input],
          branches: [{ event: `${name} a` }, { event: `${name} b` }, { event: `${name} c` }],
        };
        break;
      case 'exit':
        node = { kind: 'exit', name, inputEvents: [input] };
    }
    if (node.kind === 'step') {
      events.push(`${name} ok`);
      if (node.wait?.timeoutEvent !== undefined) events.push(node.wait.timeoutEvent);
    }
    if (node.kind === 'condition') events.push(node.trueEvent, node.falseEvent);
    if (node.kind === 'splitter') events.push(...node.branches.map((b) => b.event));
    return node;
  });
  return journeyOf(nodes);
}

const specs = fc.array(
  fc.record({
    kind: fc.constantFrom<Spec['kind']>('step', 'step', 'wait', 'condition', 'splitter', 'exit'),
    input: fc.nat(),
  }),
  { minLength: 1, maxLength: 10 }
);

/** The outcome a failure-free world would report for one thing in flight, chosen by `choice`. */
function pickOutcome(journey: Journey, state: JourneyInstanceState, choice: number): JourneyOutcome {
  const pending = [...state.running.map((r) => ({ run: r })), ...state.waiting.map((w) => ({ wait: w }))];
  const item = pending[choice % pending.length]!;
  if ('wait' in item) {
    return choice % 3 === 0
      ? { type: 'timedOut', runId: item.wait.runId }
      : { type: 'eventArrived', runId: item.wait.runId, event: item.wait.event };
  }
  const { run } = item;
  if (run.kind === 'raise') return { type: 'succeeded', runId: run.runId };
  const node = journey.steps.find((n) => n.name === run.node)!;
  switch (node.kind) {
    case 'condition':
      return { type: 'succeeded', runId: run.runId, events: [choice % 2 ? node.trueEvent : node.falseEvent] };
    case 'splitter':
      return {
        type: 'succeeded',
        runId: run.runId,
        events: node.branches.map((b) => b.event).filter((_, i) => (choice >> (i + 1)) & 1),
      };
    default:
      return choice % 5 === 0
        ? { type: 'skipped', runId: run.runId }
        : { type: 'succeeded', runId: run.runId };
  }
}

interface Trace {
  results: InterpreterResult[];
  outcomes: JourneyOutcome[];
}

function drive(
  journey: Journey,
  choices: number[],
  onStep?: (r: InterpreterResult, o: JourneyOutcome) => void
): Trace {
  let result = startJourney(journey, INSTANCE);
  const trace: Trace = { results: [result], outcomes: [] };
  for (let i = 0; i < 500 && result.state.status !== 'completed'; i++) {
    const outcome = pickOutcome(journey, result.state, choices[i % Math.max(choices.length, 1)] ?? i);
    const before = result.state;
    result = nextCommands(journey, before, outcome, NOW);
    onStep?.({ state: before, commands: [] }, outcome);
    trace.results.push(result);
    trace.outcomes.push(outcome);
  }
  return trace;
}

const choicesArb = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 40 });

describe('interpreter properties', () => {
  it('a journey without failures always completes, and nothing is left in flight', () => {
    fc.assert(
      fc.property(specs, choicesArb, (s, choices) => {
        const journey = buildJourney(s);
        const { results } = drive(journey, choices);
        const last = results[results.length - 1]!;
        expect(last.state.status).toBe('completed');
        expect(last.commands.at(-1)?.type).toBe('complete');
        expect(last.state).toMatchObject({ running: [], waiting: [], queue: [], failures: [] });
        const completes = results.flatMap((r) => r.commands).filter((c) => c.type === 'complete');
        expect(completes).toHaveLength(1);
      })
    );
  });

  it('the same outcomes in the same order give the same states and commands (replay)', () => {
    fc.assert(
      fc.property(specs, choicesArb, (s, choices) => {
        const journey = buildJourney(s);
        const first = drive(journey, choices);
        let revived = JSON.parse(
          JSON.stringify(startJourney(journey, INSTANCE).state)
        ) as JourneyInstanceState;
        first.outcomes.forEach((outcome, i) => {
          const again = nextCommands(journey, revived, outcome, NOW);
          expect(again).toEqual(first.results[i + 1]);
          revived = JSON.parse(JSON.stringify(again.state)) as JourneyInstanceState;
        });
      })
    );
  });

  it('an outcome delivered twice changes nothing the second time', () => {
    fc.assert(
      fc.property(specs, choicesArb, (s, choices) => {
        const journey = buildJourney(s);
        const { results, outcomes } = drive(journey, choices);
        outcomes.forEach((outcome, i) => {
          const after = results[i + 1]!.state;
          const replay = nextCommands(journey, after, outcome, NOW);
          expect(replay.state).toBe(after);
          expect(replay.commands).toEqual([]);
        });
      })
    );
  });

  it('run ids are unique within an instance and every command names a node of the journey', () => {
    fc.assert(
      fc.property(specs, choicesArb, (s, choices) => {
        const journey = buildJourney(s);
        const commands: JourneyCommand[] = drive(journey, choices).results.flatMap((r) => [...r.commands]);
        const ids = commands.filter((c) => c.type === 'run' || c.type === 'raise').map((c) => c.runId);
        expect(new Set(ids).size).toBe(ids.length);
        const names = new Set(journey.steps.map((n) => n.name));
        for (const c of commands) if ('node' in c) expect(names.has(c.node)).toBe(true);
      })
    );
  });

  it('with failures parked and reprocessed, a journey still completes, and each failure is reported once', () => {
    fc.assert(
      fc.property(specs, choicesArb, (s, choices) => {
        const journey = buildJourney(s);
        let result = startJourney(journey, INSTANCE);
        let fails = 0;
        let reported = 0;
        for (let i = 0; i < 1000 && result.state.status !== 'completed'; i++) {
          const choice = choices[i % choices.length]!;
          let outcome: JourneyOutcome;
          if (result.state.status === 'failed' && choice % 2 === 0) outcome = { type: 'reprocess' };
          else if (result.state.running.length + result.state.waiting.length === 0)
            outcome = { type: 'reprocess' };
          else {
            outcome = pickOutcome(journey, result.state, choice);
            const run = result.state.running.find((r) => 'runId' in outcome && r.runId === outcome.runId);
            // Fail some runs, only on the first pass over the choices so that the journey can finish.
            if (run !== undefined && i < choices.length && choice % 4 === 1) {
              outcome = { type: 'failed', runId: run.runId, reason: `failed at ${i}` };
              fails++;
            }
          }
          const failures = result.state.failures;
          result = nextCommands(journey, result.state, outcome, NOW);
          reported += result.commands.filter((c) => c.type === 'fail').length;
          if (outcome.type === 'reprocess' && result.state.status !== 'completed') {
            // Each failed step resumes at its resume point, with a new run id.
            for (const f of failures) {
              expect(result.commands).toContainEqual({
                type: f.resume === 'raise' ? 'raise' : 'run',
                runId: expect.not.stringMatching(`^${f.runId}$`) as string,
                node: f.node,
                event: f.resumeEvent,
              });
            }
          }
        }
        expect(result.state.status).toBe('completed');
        expect(reported).toBe(fails);
      })
    );
  });
});
