import {
  DEFAULT_MAX_NODE_RUNS,
  nextCommands,
  startJourney,
  stepRunId,
} from '../../../shared/domain/journeys/interpret-journey';
import {
  condition,
  Driver,
  exit,
  INSTANCE,
  journeyOf,
  NOW,
  runNodes,
  splitter,
  step,
} from './interpreter-fixtures';

describe('startJourney', () => {
  it('raises the start event: every node listening for it runs, with a run id per node and sequence', () => {
    const journey = journeyOf([
      step('A', ['New Order'], { successEvent: 'A done' }),
      step('B', ['New Order', 'Other']),
      step('C', ['Other']),
    ]);
    const { state, commands } = startJourney(journey, INSTANCE);
    expect(commands).toEqual([
      { type: 'run', runId: `${INSTANCE}:A:1`, node: 'A', event: 'New Order' },
      { type: 'run', runId: `${INSTANCE}:B:2`, node: 'B', event: 'New Order' },
    ]);
    expect(state).toMatchObject({
      instanceId: INSTANCE,
      journeyId: 'j-1',
      journeyVersion: 1,
      status: 'running',
      sequence: 2,
      nodeRuns: 2,
      queue: [],
      waiting: [],
      failures: [],
    });
    expect(stepRunId(INSTANCE, 'A', 1)).toBe(`${INSTANCE}:A:1`);
  });

  it('completes at once when nobody listens for the start event, recording it as unheard', () => {
    const { state, commands } = startJourney(journeyOf([step('A', ['Other'])]), INSTANCE);
    expect(commands).toEqual([{ type: 'complete', exit: null }]);
    expect(state.status).toBe('completed');
    expect(state.unheardEvents).toEqual(['New Order']);
  });
});

describe('events and nodes', () => {
  const linear = journeyOf([
    step('validate', ['New Order'], { successEvent: 'Validated' }),
    step('reserve', ['Validated'], { successEvent: 'Reserved' }),
    exit('done', ['Reserved']),
  ]);

  it('runs a linear journey to its exit', () => {
    const d = new Driver(linear);
    expect(runNodes(d.commands)).toEqual(['validate']);
    expect(d.succeed('validate')).toEqual([
      { type: 'run', runId: `${INSTANCE}:reserve:2`, node: 'reserve', event: 'Validated' },
    ]);
    expect(d.state.status).toBe('running');
    expect(d.succeed('reserve')).toEqual([{ type: 'complete', exit: 'done' }]);
    expect(d.state).toMatchObject({ status: 'completed', exit: 'done', running: [], queue: [] });
  });

  it('an event triggers every node listening for it', () => {
    const d = new Driver(
      journeyOf([
        step('A', ['New Order'], { successEvent: 'E' }),
        step('B', ['E']),
        step('C', ['X', 'E']),
        step('D', ['X']),
      ])
    );
    expect(runNodes(d.succeed('A'))).toEqual(['B', 'C']);
    expect(d.state.running.map((r) => r.event)).toEqual(['E', 'E']);
  });

  it('a step raising an event nobody listens for ends its branch; the event is recorded', () => {
    const d = new Driver(
      journeyOf([step('A', ['New Order'], { successEvent: 'Lonely' }), step('B', ['New Order'])])
    );
    expect(d.succeed('A')).toEqual([]);
    expect(d.state.unheardEvents).toEqual(['Lonely']);
    expect(d.state.status).toBe('running');
    expect(d.succeed('B')).toEqual([{ type: 'complete', exit: null }]);
    expect(d.state).toMatchObject({ status: 'completed', exit: null });
  });

  it('a step without a success event ends its branch', () => {
    const d = new Driver(
      journeyOf([step('A', ['New Order']), step('B', ['New Order'], { successEvent: 'B' })])
    );
    expect(d.succeed('A')).toEqual([]);
    expect(d.state.unheardEvents).toEqual([]);
    expect(d.state.running.map((r) => r.node)).toEqual(['B']);
  });

  it('a skipped step raises its success event like a success', () => {
    const d = new Driver(linear);
    expect(runNodes(d.send({ type: 'skipped', runId: d.runOf('validate') }))).toEqual(['reserve']);
  });

  it('extra events a step reports trigger their listeners after its success event', () => {
    const d = new Driver(
      journeyOf([
        step('reserve', ['New Order'], { successEvent: 'Reserved' }),
        step('notify', ['Reserved']),
        step('backorder', ['Backorder']),
      ])
    );
    expect(runNodes(d.succeed('reserve', ['Backorder', 'Reserved']))).toEqual(['notify', 'backorder']);
  });

  it('an exit completes the instance at once; other branches are abandoned and their late outcomes change nothing', () => {
    const d = new Driver(
      journeyOf([
        splitter('split', 'New Order', ['Left', 'Right']),
        step('slow', ['Left'], { successEvent: 'Slow done' }),
        exit('end', ['Right']),
        step('after', ['Slow done']),
      ])
    );
    const commands = d.succeed('split', ['Left', 'Right']);
    // slow's run was issued in the same batch as the exit: it is dropped, never started.
    expect(commands).toEqual([{ type: 'complete', exit: 'end' }]);
    const done = d.state;
    expect(done.status).toBe('completed');
    const late = nextCommands(d.journey, done, { type: 'succeeded', runId: `${INSTANCE}:slow:2` }, NOW);
    expect(late.state).toBe(done);
    expect(late.commands).toEqual([]);
  });
  it('an exit reached while another branch runs ends the instance; the late outcome changes nothing', () => {
    const d = new Driver(
      journeyOf([
        splitter('split', 'New Order', ['Left', 'Right']),
        step('slow', ['Left'], { successEvent: 'Slow done' }),
        step('fast', ['Right'], { successEvent: 'Fast done' }),
        exit('end', ['Fast done']),
        step('after', ['Slow done']),
      ])
    );
    expect(runNodes(d.succeed('split', ['Left', 'Right']))).toEqual(['slow', 'fast']);
    const slow = d.runOf('slow');
    expect(d.succeed('fast')).toEqual([{ type: 'complete', exit: 'end' }]);
    const done = d.state;
    expect(done).toMatchObject({ status: 'completed', exit: 'end', running: [] });
    expect(d.send({ type: 'succeeded', runId: slow })).toEqual([]);
    expect(d.state).toBe(done);
  });
});

describe('splitters and conditions', () => {
  const split = journeyOf([
    splitter('split', 'New Order', ['Ship', 'Invoice', 'Email']),
    step('ship', ['Ship'], { successEvent: 'Shipped' }),
    step('invoice', ['Invoice'], { successEvent: 'Invoiced' }),
    step('email', ['Email']),
    exit('end', ['Shipped']),
  ]);

  it('runs the applying branches concurrently, in branch order', () => {
    const d = new Driver(split);
    expect(runNodes(d.succeed('split', ['Email', 'Ship']))).toEqual(['ship', 'email']);
    expect(d.state.running.map((r) => r.node)).toEqual(['ship', 'email']);
    expect(d.succeed('email')).toEqual([]);
    expect(d.succeed('ship')).toEqual([{ type: 'complete', exit: 'end' }]);
  });

  it('a splitter with no applying branch ends its flow', () => {
    const d = new Driver(split);
    expect(d.succeed('split', [])).toEqual([{ type: 'complete', exit: null }]);
  });

  it('a splitter reporting an event that is not one of its branches fails', () => {
    const d = new Driver(split);
    const commands = d.succeed('split', ['Ship', 'Teleport']);
    expect(commands).toEqual([
      expect.objectContaining({ type: 'fail', node: 'split', reason: expect.stringContaining('Teleport') }),
    ]);
    expect(d.state.status).toBe('failed');
  });

  const cond = journeyOf([
    condition('big?', 'New Order', 'Big', 'Small'),
    step('approve', ['Big']),
    step('auto', ['Small']),
  ]);

  it('a condition raises exactly one of its events', () => {
    const yes = new Driver(cond);
    expect(runNodes(yes.succeed('big?', ['Big']))).toEqual(['approve']);
    const no = new Driver(cond);
    expect(runNodes(no.succeed('big?', ['Small']))).toEqual(['auto']);
  });

  it.each([[['Big', 'Small']], [[]], [['Medium']]])('a condition reporting %j fails', (events) => {
    const d = new Driver(cond);
    const commands = d.succeed('big?', events);
    expect(commands).toEqual([
      expect.objectContaining({ type: 'fail', node: 'big?', reason: expect.stringContaining('exactly one') }),
    ]);
    expect(d.state.failures).toEqual([
      expect.objectContaining({ node: 'big?', resume: 'rerun', resumeEvent: 'New Order' }),
    ]);
  });
});

describe('failures and reprocess', () => {
  it('a failure with a failure event raises it and the flow goes on', () => {
    const d = new Driver(
      journeyOf([
        step('validate', ['New Order'], { successEvent: 'Valid', failureEvent: 'Invalid' }),
        step('hold', ['Invalid']),
      ])
    );
    expect(runNodes(d.fail('validate'))).toEqual(['hold']);
    expect(d.state.status).toBe('running');
    expect(d.state.failures).toEqual([]);
  });

  const parking = journeyOf([
    step('validate', ['New Order'], { successEvent: 'Valid' }),
    step('reserve', ['Valid'], { successEvent: 'Reserved' }),
    exit('end', ['Reserved']),
  ]);

  it('a failure without failure event parks the instance failed with its resume point', () => {
    const d = new Driver(parking);
    const runId = d.runOf('validate');
    expect(d.fail('validate', 'header has no customer')).toEqual([
      { type: 'fail', runId, node: 'validate', reason: 'header has no customer' },
    ]);
    expect(d.state).toMatchObject({
      status: 'failed',
      running: [],
      failures: [
        {
          node: 'validate',
          runId,
          reason: 'header has no customer',
          resume: 'rerun',
          resumeEvent: 'New Order',
        },
      ],
    });
  });

  it('reprocess re-runs the failed step with a new run id, then the flow goes on', () => {
    const d = new Driver(parking);
    const first = d.runOf('validate');
    d.fail('validate');
    const commands = d.send({ type: 'reprocess' });
    expect(commands).toEqual([
      { type: 'run', runId: `${INSTANCE}:validate:2`, node: 'validate', event: 'New Order' },
    ]);
    expect(`${INSTANCE}:validate:2`).not.toBe(first);
    expect(d.state).toMatchObject({ status: 'running', failures: [] });
    expect(runNodes(d.succeed('validate'))).toEqual(['reserve']);
    expect(d.succeed('reserve')).toEqual([{ type: 'complete', exit: 'end' }]);
  });

  it('reprocess raises the resume-on-error event when the step names one', () => {
    const d = new Driver(
      journeyOf([
        step('optimize', ['New Order'], { successEvent: 'Optimized', resumeOnErrorEvent: 'Retry sourcing' }),
        step('manual', ['Retry sourcing'], { successEvent: 'Optimized' }),
        exit('end', ['Optimized']),
      ])
    );
    d.fail('optimize');
    expect(d.state.failures[0]).toMatchObject({ resume: 'raise', resumeEvent: 'Retry sourcing' });
    expect(d.send({ type: 'reprocess' })).toEqual([
      { type: 'raise', runId: `${INSTANCE}:optimize:2`, node: 'optimize', event: 'Retry sourcing' },
    ]);
    expect(runNodes(d.succeed('optimize'))).toEqual(['manual']);
  });

  it('runs in flight finish after a failure, their events wait for the reprocess', () => {
    const d = new Driver(
      journeyOf([
        splitter('split', 'New Order', ['L', 'R']),
        step('left', ['L']),
        step('right', ['R'], { successEvent: 'R done' }),
        step('after', ['R done']),
      ])
    );
    d.succeed('split', ['L', 'R']);
    d.fail('left');
    expect(d.succeed('right')).toEqual([]);
    expect(d.state).toMatchObject({ status: 'failed', queue: ['R done'], running: [] });
    expect(runNodes(d.send({ type: 'reprocess' }))).toEqual(['left', 'after']);
    d.succeed('left');
    expect(d.succeed('after')).toEqual([{ type: 'complete', exit: null }]);
  });

  it('reprocess of an instance that has not failed changes nothing', () => {
    const d = new Driver(parking);
    const before = d.state;
    expect(d.send({ type: 'reprocess' })).toEqual([]);
    expect(d.state).toBe(before);
  });

  it('a failing raise parks the instance; reprocess raises the event again', () => {
    const d = new Driver(
      journeyOf([
        step('ship', ['New Order'], {
          successEvent: 'Shipped',
          wait: { event: 'Shipment', timeoutSeconds: 60 },
        }),
        step('email', ['Shipped']),
      ])
    );
    d.succeed('ship');
    d.send({ type: 'eventArrived', runId: `${INSTANCE}:ship:1`, event: 'Shipment' });
    d.fail('ship', 'transition not allowed');
    expect(d.state.failures[0]).toMatchObject({ resume: 'raise', resumeEvent: 'Shipped' });
    expect(d.send({ type: 'reprocess' })).toEqual([
      { type: 'raise', runId: `${INSTANCE}:ship:3`, node: 'ship', event: 'Shipped' },
    ]);
  });
});

describe('waits', () => {
  const waiting = (timeoutEvent?: string) =>
    journeyOf([
      step('fulfill', ['New Order'], {
        successEvent: 'Shipped',
        wait: { event: 'Shipment', timeoutSeconds: 3600, ...(timeoutEvent ? { timeoutEvent } : {}) },
      }),
      step('email', ['Shipped']),
      step('chase', ['Late']),
    ]);

  it('a step with a wait waits for its event until now + timeout, then raises its success event', () => {
    const d = new Driver(waiting());
    const runId = d.runOf('fulfill');
    expect(d.succeed('fulfill')).toEqual([
      { type: 'wait', runId, node: 'fulfill', event: 'Shipment', deadline: '2026-12-02T03:00:00.000Z' },
    ]);
    expect(d.state.status).toBe('waiting');
    expect(d.send({ type: 'eventArrived', runId, event: 'Other' })).toEqual([]);
    expect(d.send({ type: 'eventArrived', runId, event: 'Shipment' })).toEqual([
      { type: 'raise', runId: `${INSTANCE}:fulfill:2`, node: 'fulfill', event: 'Shipped' },
    ]);
    expect(d.state.waiting).toEqual([]);
    expect(runNodes(d.succeed('fulfill'))).toEqual(['email']);
    expect(d.send({ type: 'timedOut', runId })).toEqual([]);
  });

  it('a step whose own run raised the awaited event does not wait', () => {
    const d = new Driver(waiting());
    const runId = d.runOf('fulfill');
    expect(d.send({ type: 'succeeded', runId, events: ['Shipment'] })).toEqual([
      { type: 'raise', runId: `${INSTANCE}:fulfill:2`, node: 'fulfill', event: 'Shipped' },
    ]);
    expect(d.state.waiting).toEqual([]);
  });

  it('a wait without a success event goes on with the awaited event, waited for or raised by the run', () => {
    const journey = journeyOf([
      step('reserve', ['New Order'], { wait: { event: 'Ready', timeoutSeconds: 60 } }),
      step('create', ['Ready']),
    ]);
    const waited = new Driver(journey);
    const runId = waited.runOf('reserve');
    expect(waited.succeed('reserve')).toEqual([expect.objectContaining({ type: 'wait', event: 'Ready' })]);
    expect(runNodes(waited.send({ type: 'eventArrived', runId, event: 'Ready' }))).toEqual(['create']);

    const immediate = new Driver(journey);
    const commands = immediate.send({
      type: 'succeeded',
      runId: immediate.runOf('reserve'),
      events: ['Ready'],
    });
    expect(runNodes(commands)).toEqual(['create']);
    expect(commands.some((c) => c.type === 'wait')).toBe(false);
  });

  it('a skipped step with a wait does not wait', () => {
    const d = new Driver(waiting());
    expect(runNodes(d.send({ type: 'skipped', runId: d.runOf('fulfill') }))).toEqual(['email']);
  });

  it('a wait that times out raises its timeout event', () => {
    const d = new Driver(waiting('Late'));
    const runId = d.runOf('fulfill');
    d.succeed('fulfill');
    expect(d.send({ type: 'timedOut', runId })).toEqual([
      { type: 'raise', runId: `${INSTANCE}:fulfill:2`, node: 'fulfill', event: 'Late' },
    ]);
    expect(runNodes(d.succeed('fulfill'))).toEqual(['chase']);
    expect(d.send({ type: 'eventArrived', runId, event: 'Shipment' })).toEqual([]);
  });

  it('a wait without timeout event that times out fails the step; reprocess runs it again', () => {
    const d = new Driver(waiting());
    const runId = d.runOf('fulfill');
    d.succeed('fulfill');
    expect(d.send({ type: 'timedOut', runId })).toEqual([
      expect.objectContaining({ type: 'fail', node: 'fulfill', reason: expect.stringContaining('Shipment') }),
    ]);
    expect(d.state.status).toBe('failed');
    expect(d.send({ type: 'reprocess' })).toEqual([
      { type: 'run', runId: `${INSTANCE}:fulfill:2`, node: 'fulfill', event: 'New Order' },
    ]);
  });
});

describe('cancel', () => {
  const journey = journeyOf([
    splitter('split', 'New Order', ['L', 'R']),
    step('left', ['L'], { successEvent: 'L done' }),
    step('right', ['R'], { successEvent: 'R done' }),
    step('after left', ['L done']),
    step('after right', ['R done']),
  ]);

  it('a wait that times out while another branch has failed raises its timeout event after the reprocess', () => {
    const d = new Driver(
      journeyOf([
        splitter('split', 'New Order', ['L', 'R']),
        step('left', ['L']),
        step('ship', ['R'], { wait: { event: 'Shipment', timeoutSeconds: 60, timeoutEvent: 'Late' } }),
        step('chase', ['Late']),
      ])
    );
    d.succeed('split', ['L', 'R']);
    const runId = d.runOf('ship');
    d.succeed('ship');
    d.fail('left');
    expect(d.send({ type: 'timedOut', runId })).toEqual([]);
    expect(d.state.status).toBe('failed');
    expect(d.send({ type: 'reprocess' }).map((c) => [c.type, 'node' in c ? c.node : ''])).toEqual([
      ['raise', 'ship'],
      ['run', 'left'],
    ]);
  });

  it('cancel stops everything: runs, waits and queued events no longer count', () => {
    const d = new Driver(journey);
    d.succeed('split', ['L', 'R']);
    const left = d.runOf('left');
    expect(d.send({ type: 'cancel', reason: 'customer asked' })).toEqual([
      { type: 'cancel', reason: 'customer asked' },
    ]);
    expect(d.state).toMatchObject({ status: 'cancelled', running: [], waiting: [], queue: [] });
    const cancelled = d.state;
    for (const outcome of [
      { type: 'succeeded', runId: left },
      { type: 'reprocess' },
      { type: 'cancel' },
    ] as const) {
      expect(d.send(outcome)).toEqual([]);
      expect(d.state).toBe(cancelled);
    }
  });

  it('cancel works on a failed instance', () => {
    const d = new Driver(journey);
    d.fail('split');
    expect(d.send({ type: 'cancel' })).toEqual([{ type: 'cancel', reason: 'cancelled' }]);
    expect(d.state.status).toBe('cancelled');
  });
});

describe('duplicates, late outcomes and cycles', () => {
  const journey = journeyOf([
    step('A', ['New Order'], { successEvent: 'A done' }),
    step('B', ['A done'], { failureEvent: 'B failed' }),
  ]);

  it('the same outcome twice changes nothing the second time', () => {
    const d = new Driver(journey);
    const outcome = { type: 'succeeded', runId: d.runOf('A') } as const;
    expect(runNodes(d.send(outcome))).toEqual(['B']);
    const after = d.state;
    expect(d.send(outcome)).toEqual([]);
    expect(d.state).toBe(after);
    expect(d.send({ type: 'failed', runId: outcome.runId, reason: 'late' })).toEqual([]);
    expect(d.state).toBe(after);
  });

  it('an outcome for a run id that never ran changes nothing', () => {
    const d = new Driver(journey);
    const before = d.state;
    for (const outcome of [
      { type: 'succeeded', runId: `${INSTANCE}:A:99` },
      { type: 'skipped', runId: 'other:A:1' },
      { type: 'eventArrived', runId: d.runOf('A'), event: 'Shipment' },
      { type: 'timedOut', runId: d.runOf('A') },
    ] as const) {
      expect(d.send(outcome)).toEqual([]);
      expect(d.state).toBe(before);
    }
  });

  it('the state survives a JSON round trip (Durable replay, the API)', () => {
    const d = new Driver(journey);
    const revived = JSON.parse(JSON.stringify(d.state)) as typeof d.state;
    const outcome = { type: 'succeeded', runId: d.runOf('A') } as const;
    expect(nextCommands(journey, revived, outcome, NOW)).toEqual(
      nextCommands(journey, d.state, outcome, NOW)
    );
  });

  it('a cycle fails the instance after the maximum number of node runs, for good', () => {
    const loop = journeyOf([
      step('start', ['New Order'], { successEvent: 'Again' }),
      step('loop', ['Again'], { successEvent: 'Again' }),
    ]);
    const d = new Driver(loop, { maxNodeRuns: 5 });
    d.succeed('start');
    for (let i = 0; i < 3; i++) expect(runNodes(d.succeed('loop'))).toEqual(['loop']);
    const commands = d.succeed('loop');
    expect(commands).toEqual([
      expect.objectContaining({
        type: 'fail',
        node: 'loop',
        reason: expect.stringMatching(/cycle guard: more than 5 node runs/),
      }),
    ]);
    expect(d.state).toMatchObject({ status: 'failed', nodeRuns: 5 });
    const failed = d.state;
    expect(d.send({ type: 'reprocess' })).toEqual([]);
    expect(d.state).toBe(failed);
    expect(d.send({ type: 'cancel' })).toEqual([{ type: 'cancel', reason: 'cancelled' }]);
  });

  it('the default cycle guard is documented and finite', () => {
    expect(DEFAULT_MAX_NODE_RUNS).toBe(1000);
    const d = new Driver(journeyOf([step('loop', ['New Order', 'Again'], { successEvent: 'Again' })]));
    let rounds = 0;
    while (d.state.status === 'running') {
      d.succeed('loop');
      rounds++;
    }
    expect(rounds).toBe(DEFAULT_MAX_NODE_RUNS);
    expect(d.state.status).toBe('failed');
  });
});
