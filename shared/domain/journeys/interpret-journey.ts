import type { Journey, JourneyNode } from './journey';

/**
 * The journey interpreter: a pure function of (journey version, instance state, outcome, now) that
 * decides what happens next on one journey instance. The Durable orchestrator is a thin loop around
 * it: it turns each command into `callActivityWithRetry`, `waitForExternalEvent` plus a timer, or the
 * end of the orchestration, and turns whatever finishes first back into an outcome. No I/O, no clock
 * (the caller passes `now`, from `context.df.currentUtcDateTime`), no randomness: the same outcomes in
 * the same order always give the same states and commands, so Durable's replay is safe.
 *
 * **Instance.** An instance runs one journey version on one entity (an order, a fulfillment order, a
 * return). Events are scoped to that entity: the interpreter only ever sees the events of its own
 * instance, and an event triggers every node of the journey whose `inputEvents` contain it (IOM's
 * rule). `startJourney` raises the journey's `startEvent`.
 *
 * **State** (`JourneyInstanceState`) is plain JSON: it survives replay and is shown by the API. It
 * holds the status, the events raised and not yet consumed (`queue`), the runs and raises decided but
 * not yet issued (`pending`) — both stay there while the instance is failed —, the node
 * runs in flight (`running`: several at once after a splitter), the steps waiting for an external
 * event with their deadlines (`waiting`), the failed steps with their resume points (`failures`), the
 * events nobody listened to (`unheardEvents`), a monotonic `sequence` and the number of runs issued
 * (`nodeRuns`). The status, in this order: `completed`/`cancelled` (final); `failed` (a
 * failure waits for reprocess; runs in flight may still finish); `running` (something runs, is pending
 * or queued); `waiting` (only waits are left).
 *
 * **Run ids.** Every command that calls an activity carries `runId` = `{instanceId}:{node}:{sequence}`,
 * unique within the instance and stable under replay. The activity stores its step result under it, so
 * a retry by Durable returns the stored result instead of acting twice; a reprocess uses a new run id.
 *
 * **Commands** (`JourneyCommand`):
 * - `run` — call the step activity for `node`, triggered by `event`. The activity evaluates the node's
 *   filter and execution policies, runs the action, raises on the entity (through the state framework)
 *   the event its outcome implies, writes the step result and timeline entry, and reports back:
 *   a step's `successEvent` when it `succeeded` or was `skipped` by its filter policy (not for a step
 *   with `wait`: its success event is raised when the wait ends), its `failureEvent` when it `failed`;
 *   a condition's one event; a splitter's applying branch events (both reported in `events`).
 * - `raise` — call the activity that raises `event` on the entity for `node` (a wait that ended, a
 *   wait's timeout event, a resume-on-error event). It reports `succeeded` for its run id.
 * - `wait` — wait for the external event `event` on the entity until `deadline` (an ISO instant);
 *   report `eventArrived` or `timedOut` with the run id. The orchestrator cancels its timer when the
 *   event arrives, and every outstanding timer when the instance ends.
 * - `fail` — a step failed and the instance is parked `failed` at it: feed the error lists and the
 *   timeline. The orchestrator keeps waiting for reprocess, cancel and the outcomes
 *   still in flight.
 * - `complete` — the instance completed (`exit`: the exit node that ended it, or null when nothing was
 *   left to run): end the orchestration.
 * - `cancel` — the instance was cancelled: run the cancellation (release reservations, cancel open
 *   fulfillment orders) and end the orchestration.
 *
 * **Rules.**
 * - A raised event with no node listening is recorded in `unheardEvents` and ends its branch; a step
 *   without the relevant output event just ends its branch.
 * - An exit node completes the instance at once (no activity): whatever else is running or waiting is
 *   abandoned (runs and waits issued in the same batch are dropped from it), and late outcomes change
 *   nothing. An instance also completes when nothing is running, waiting, pending or queued (every
 *   branch ended without an exit): the model draws exits, but a journey whose branches all end must
 *   not hang forever.
 * - A condition must report exactly one of its `trueEvent`/`falseEvent`, a splitter only its branch
 *   events (any number of them; branches run concurrently); anything else is a failure of that node.
 *   A step may report extra events its action raised; they trigger their listeners too.
 * - A failure with the step's `failureEvent` raises it and the flow goes on. A failure without it
 *   (or of a condition or splitter) parks the instance `failed` with a resume point and issues `fail`;
 *   runs in flight finish and their events queue, but nothing new runs. `reprocess` resumes every
 *   failed step: by raising its `resumeOnErrorEvent` when it names one, else by running it again for
 *   the same input event with a new run id; then pending runs, then the queue, drain.
 * - A wait ends with its event: the step's `successEvent` is raised then; a step without one goes on
 *   with the awaited event itself (it was raised on the entity already), so its listeners run. A step
 *   whose run reports the awaited event among its events (its own action raised it) does not wait.
 * - A wait that times out raises its `timeoutEvent`; without one, the step fails (resume point: the
 *   step, as above). A `raise` that fails parks the instance at its node; reprocess raises it again.
 *   `skipped` is a step's outcome; for a condition it is a failure (it reported no event), for a
 *   splitter no branch applied.
 * - Pausing is Durable's own (the instance suspended): the interpreter is not asked meanwhile.
 * - `cancel` ends a running, waiting or failed instance: nothing in flight counts any more.
 * - Outcomes for run ids not in flight (a duplicate, a late outcome after an exit or a cancel, an
 *   event for a wait that already ended), any outcome on a completed or cancelled instance, and a
 *   reprocess of an instance that has not failed return the state unchanged with no commands.
 * - Cycle guard: an instance issues at most `maxNodeRuns` runs and raises (`run` + `raise`; default
 *   `DEFAULT_MAX_NODE_RUNS`). The one that would exceed it fails the instance with a reason naming the
 *   node and the limit; that failure cannot be reprocessed (cancel it, fix the journey).
 */

export const DEFAULT_MAX_NODE_RUNS = 1000;

/** `paused` is not the interpreter's: the API shows it while Durable holds the instance suspended. */
export type JourneyInstanceStatus = 'running' | 'waiting' | 'paused' | 'failed' | 'completed' | 'cancelled';

export interface RunningNode {
  readonly runId: string;
  readonly node: string;
  /** The event that triggered the run (for `raise`: the event being raised). */
  readonly event: string;
  readonly kind: 'run' | 'raise';
}

/** A run or raise decided (a wait ended, a reprocess) and issued when the instance may go on. */
export interface PendingRun {
  readonly kind: 'run' | 'raise';
  readonly node: string;
  readonly event: string;
}

export interface WaitingStep {
  /** The run id of the step run whose wait this is. */
  readonly runId: string;
  readonly node: string;
  /** The external event awaited. */
  readonly event: string;
  /** The ISO instant at which the wait times out. */
  readonly deadline: string;
  /** The event that triggered the step (its resume point if the wait fails). */
  readonly inputEvent: string;
}

export interface JourneyFailure {
  readonly node: string;
  readonly runId: string;
  readonly reason: string;
  /**
   * The resume point: `rerun` the node for `resumeEvent` (the event that triggered it), `raise`
   * `resumeEvent` (the step's resumeOnErrorEvent, or the event whose raising failed), or `none` (the
   * cycle guard: not resumable).
   */
  readonly resume: 'rerun' | 'raise' | 'none';
  readonly resumeEvent: string;
}

export interface JourneyInstanceState {
  readonly instanceId: string;
  readonly journeyId: string;
  readonly journeyVersion: number;
  readonly status: JourneyInstanceStatus;
  /** The last sequence number used in a run id. */
  readonly sequence: number;
  /** The runs and raises issued so far (the cycle guard counts them). */
  readonly nodeRuns: number;
  /** Runs and raises decided but not issued yet (the instance had failed), oldest first. */
  readonly pending: readonly PendingRun[];
  /** Events raised and not yet consumed, oldest first. */
  readonly queue: readonly string[];
  readonly running: readonly RunningNode[];
  readonly waiting: readonly WaitingStep[];
  readonly failures: readonly JourneyFailure[];
  /** Events raised when no node listened to them, in order. */
  readonly unheardEvents: readonly string[];
  /** The exit node that completed the instance (null: nothing was left to run). */
  readonly exit?: string | null;
  readonly cancelReason?: string;
}

export type JourneyCommand =
  | { readonly type: 'run'; readonly runId: string; readonly node: string; readonly event: string }
  | { readonly type: 'raise'; readonly runId: string; readonly node: string; readonly event: string }
  | {
      readonly type: 'wait';
      readonly runId: string;
      readonly node: string;
      readonly event: string;
      readonly deadline: string;
    }
  | { readonly type: 'fail'; readonly runId: string; readonly node: string; readonly reason: string }
  | { readonly type: 'complete'; readonly exit: string | null }
  | { readonly type: 'cancel'; readonly reason: string };

export type JourneyOutcome =
  /** A run or raise finished; `events`: a condition's or splitter's events, a step's extra events. */
  | { readonly type: 'succeeded'; readonly runId: string; readonly events?: readonly string[] }
  /** A step's filter policy did not apply: its success event was raised. */
  | { readonly type: 'skipped'; readonly runId: string }
  | { readonly type: 'failed'; readonly runId: string; readonly reason: string }
  | { readonly type: 'eventArrived'; readonly runId: string; readonly event: string }
  | { readonly type: 'timedOut'; readonly runId: string }
  | { readonly type: 'reprocess' }
  | { readonly type: 'cancel'; readonly reason?: string };

export interface InterpreterOptions {
  readonly maxNodeRuns?: number;
}

export interface InterpreterResult {
  readonly state: JourneyInstanceState;
  readonly commands: readonly JourneyCommand[];
}

/** A mutable working copy; only `interpret`'s helpers see it. */
interface Draft {
  status: JourneyInstanceStatus;
  sequence: number;
  nodeRuns: number;
  pending: PendingRun[];
  queue: string[];
  running: RunningNode[];
  waiting: WaitingStep[];
  failures: JourneyFailure[];
  unheardEvents: string[];
  exit?: string | null;
  cancelReason?: string;
}

interface Context {
  readonly journey: Journey;
  readonly instanceId: string;
  readonly maxNodeRuns: number;
  readonly now: string;
  readonly draft: Draft;
  readonly commands: JourneyCommand[];
}

/** Whether the instance has ended (completed or cancelled): the orchestration may return. */
export function isJourneyEnded(state: JourneyInstanceState): boolean {
  return state.status === 'completed' || state.status === 'cancelled';
}

/** The run id of the `sequence`th run of `node` in an instance. */
export function stepRunId(instanceId: string, node: string, sequence: number): string {
  return `${instanceId}:${node}:${sequence}`;
}

/** Starts an instance of `journey` on its entity: raises the start event. */
export function startJourney(
  journey: Journey,
  instanceId: string,
  options: InterpreterOptions = {}
): InterpreterResult {
  const initial: JourneyInstanceState = {
    instanceId,
    journeyId: journey.id,
    journeyVersion: journey.version,
    status: 'running',
    sequence: 0,
    nodeRuns: 0,
    pending: [],
    queue: [journey.startEvent],
    running: [],
    waiting: [],
    failures: [],
    unheardEvents: [],
  };
  // No wait is created while draining the start event, so no clock is needed.
  return interpret(journey, initial, options, '', () => true) as InterpreterResult;
}

/** Decides what follows `outcome` on an instance; `now` is the orchestrator's deterministic ISO time. */
export function nextCommands(
  journey: Journey,
  state: JourneyInstanceState,
  outcome: JourneyOutcome,
  now: string,
  options: InterpreterOptions = {}
): InterpreterResult {
  if (isJourneyEnded(state)) return { state, commands: [] };
  return interpret(journey, state, options, now, (ctx) => apply(ctx, outcome)) ?? { state, commands: [] };
}

function interpret(
  journey: Journey,
  state: JourneyInstanceState,
  options: InterpreterOptions,
  now: string,
  step: (ctx: Context) => boolean
): InterpreterResult | null {
  const draft: Draft = {
    status: state.status,
    sequence: state.sequence,
    nodeRuns: state.nodeRuns,
    pending: [...state.pending],
    queue: [...state.queue],
    running: [...state.running],
    waiting: [...state.waiting],
    failures: [...state.failures],
    unheardEvents: [...state.unheardEvents],
    ...(state.exit !== undefined ? { exit: state.exit } : {}),
    ...(state.cancelReason !== undefined ? { cancelReason: state.cancelReason } : {}),
  };
  const ctx: Context = {
    journey,
    instanceId: state.instanceId,
    maxNodeRuns: options.maxNodeRuns ?? DEFAULT_MAX_NODE_RUNS,
    now,
    draft,
    commands: [],
  };
  if (!step(ctx)) return null;
  drain(ctx);
  draft.status = statusOf(draft);
  const next: JourneyInstanceState = {
    instanceId: state.instanceId,
    journeyId: state.journeyId,
    journeyVersion: state.journeyVersion,
    ...draft,
  };
  return { state: next, commands: ctx.commands };
}

function statusOf(draft: Draft): JourneyInstanceStatus {
  if (draft.status === 'completed' || draft.status === 'cancelled') return draft.status;
  if (draft.failures.length > 0) return 'failed';
  if (draft.running.length > 0 || draft.queue.length > 0 || draft.pending.length > 0) return 'running';
  return 'waiting';
}

function isEnded(draft: Draft): boolean {
  return draft.status === 'completed' || draft.status === 'cancelled';
}

function findNode(journey: Journey, name: string): JourneyNode {
  const node = journey.steps.find((n) => n.name === name);
  // A state always comes from the same journey version; a missing node is a caller's bug.
  if (node === undefined) throw new Error(`journey ${journey.id} v${journey.version} has no node ${name}`);
  return node;
}

/** Applies one outcome to the draft; returns false when it changes nothing. */
function apply(ctx: Context, outcome: JourneyOutcome): boolean {
  const { draft } = ctx;
  switch (outcome.type) {
    case 'succeeded':
    case 'skipped':
    case 'failed': {
      const run = draft.running.find((r) => r.runId === outcome.runId);
      if (run === undefined) return false;
      draft.running = draft.running.filter((r) => r !== run);
      finishRun(ctx, run, outcome);
      return true;
    }
    case 'eventArrived': {
      const wait = draft.waiting.find((w) => w.runId === outcome.runId && w.event === outcome.event);
      if (wait === undefined) return false;
      draft.waiting = draft.waiting.filter((w) => w !== wait);
      endWait(ctx, findNode(ctx.journey, wait.node), wait.event);
      return true;
    }
    case 'timedOut': {
      const wait = draft.waiting.find((w) => w.runId === outcome.runId);
      if (wait === undefined) return false;
      draft.waiting = draft.waiting.filter((w) => w !== wait);
      const node = findNode(ctx.journey, wait.node);
      const timeoutEvent = node.kind === 'step' ? node.wait?.timeoutEvent : undefined;
      if (timeoutEvent !== undefined)
        draft.pending.push({ kind: 'raise', node: node.name, event: timeoutEvent });
      else {
        const reason = `waited for ${wait.event} until ${wait.deadline}: timed out`;
        park(ctx, node, wait.runId, wait.inputEvent, reason);
      }
      return true;
    }
    case 'reprocess': {
      const resumable = draft.failures.filter((f) => f.resume !== 'none');
      if (resumable.length === 0) return false;
      draft.failures = draft.failures.filter((f) => f.resume === 'none');
      for (const failure of resumable) {
        const kind = failure.resume === 'raise' ? 'raise' : 'run';
        draft.pending.push({ kind, node: failure.node, event: failure.resumeEvent });
      }
      return true;
    }
    case 'cancel': {
      const reason = outcome.reason ?? 'cancelled';
      draft.status = 'cancelled';
      draft.cancelReason = reason;
      draft.running = [];
      draft.waiting = [];
      draft.queue = [];
      draft.pending = [];
      ctx.commands.push({ type: 'cancel', reason });
      return true;
    }
  }
}

function finishRun(
  ctx: Context,
  run: RunningNode,
  outcome: Extract<JourneyOutcome, { type: 'succeeded' | 'skipped' | 'failed' }>
): void {
  const { draft } = ctx;
  const node = findNode(ctx.journey, run.node);
  if (run.kind === 'raise') {
    // Raising an event through the state framework: its failure parks the instance at that node.
    if (outcome.type === 'failed') park(ctx, node, run.runId, run.event, outcome.reason, true);
    else draft.queue.push(run.event);
    return;
  }
  if (outcome.type === 'failed') {
    if (node.kind === 'step' && node.failureEvent !== undefined) draft.queue.push(node.failureEvent);
    else park(ctx, node, run.runId, run.event, outcome.reason);
    return;
  }
  const reported = outcome.type === 'succeeded' ? [...new Set(outcome.events ?? [])] : [];
  switch (node.kind) {
    case 'step': {
      const awaited = outcome.type === 'succeeded' ? node.wait?.event : undefined;
      if (awaited !== undefined && reported.includes(awaited)) {
        // The step's own action raised what it would wait for (stock was there): no wait.
        draft.queue.push(...reported.filter((e) => e !== node.successEvent && e !== awaited));
        endWait(ctx, node, awaited);
        return;
      }
      if (awaited !== undefined) {
        const deadline = addSeconds(ctx.now, node.wait!.timeoutSeconds);
        const wait = { runId: run.runId, node: node.name, event: awaited, deadline };
        draft.waiting.push({ ...wait, inputEvent: run.event });
        ctx.commands.push({ type: 'wait', ...wait });
      } else if (node.successEvent !== undefined) draft.queue.push(node.successEvent);
      draft.queue.push(...reported.filter((e) => e !== node.successEvent));
      return;
    }
    case 'condition': {
      const [event] = reported;
      if (reported.length === 1 && (event === node.trueEvent || event === node.falseEvent)) {
        draft.queue.push(event);
      } else {
        const reason =
          `condition reported [${reported.join(', ')}]: ` +
          `expected exactly one of ${node.trueEvent}, ${node.falseEvent}`;
        park(ctx, node, run.runId, run.event, reason);
      }
      return;
    }
    case 'splitter': {
      const branchEvents = node.branches.map((b) => b.event);
      const unknown = reported.filter((e) => !branchEvents.includes(e));
      if (unknown.length > 0) {
        const reason = `splitter reported [${unknown.join(', ')}], not among its branches [${branchEvents.join(', ')}]`;
        park(ctx, node, run.runId, run.event, reason);
      } else draft.queue.push(...branchEvents.filter((e) => reported.includes(e)));
      return;
    }
    case 'exit':
      return; // never run as an activity
  }
}

/**
 * A step's wait ended with its event: the step's success event is raised next; without one, the
 * awaited event itself (already raised on the entity) goes on to the nodes that listen to it.
 */
function endWait(ctx: Context, node: JourneyNode, awaited: string): void {
  if (node.kind === 'step' && node.successEvent !== undefined) {
    ctx.draft.pending.push({ kind: 'raise', node: node.name, event: node.successEvent });
  } else ctx.draft.queue.push(awaited);
}

/** Parks the instance failed at `node` and reports it. */
function park(
  ctx: Context,
  node: JourneyNode,
  runId: string,
  inputEvent: string,
  reason: string,
  raising = false
): void {
  const resumeOn = node.kind === 'step' && !raising ? node.resumeOnErrorEvent : undefined;
  const failure: JourneyFailure =
    raising || resumeOn === undefined
      ? { node: node.name, runId, reason, resume: raising ? 'raise' : 'rerun', resumeEvent: inputEvent }
      : { node: node.name, runId, reason, resume: 'raise', resumeEvent: resumeOn };
  ctx.draft.failures.push(failure);
  ctx.commands.push({ type: 'fail', runId, node: node.name, reason });
}

/** Issues a `run` or `raise` command, unless the cycle guard refuses it. */
function issue(ctx: Context, kind: 'run' | 'raise', node: string, event: string): void {
  const { draft } = ctx;
  if (draft.nodeRuns >= ctx.maxNodeRuns) {
    const reason = `cycle guard: more than ${ctx.maxNodeRuns} node runs in this instance (next: ${node} for ${event})`;
    const runId = stepRunId(ctx.instanceId, node, draft.sequence);
    draft.failures.push({ node, runId, reason, resume: 'none', resumeEvent: event });
    ctx.commands.push({ type: 'fail', runId, node, reason });
    return;
  }
  draft.sequence += 1;
  draft.nodeRuns += 1;
  const runId = stepRunId(ctx.instanceId, node, draft.sequence);
  draft.running.push({ runId, node, event, kind });
  ctx.commands.push({ type: kind, runId, node, event });
}

/** Consumes queued events while the instance may go on; completes it when nothing is left. */
function drain(ctx: Context): void {
  const { draft } = ctx;
  if (isEnded(draft)) return;
  while (draft.failures.length === 0 && draft.pending.length > 0) {
    const next = draft.pending.shift() as PendingRun;
    issue(ctx, next.kind, next.node, next.event);
  }
  while (draft.failures.length === 0 && draft.queue.length > 0) {
    const event = draft.queue.shift() as string;
    const listeners = ctx.journey.steps.filter((n) => n.inputEvents.includes(event));
    if (listeners.length === 0) draft.unheardEvents.push(event);
    for (const node of listeners) {
      if (node.kind === 'exit') {
        complete(ctx, node.name);
        return;
      }
      issue(ctx, 'run', node.name, event);
      if (draft.failures.length > 0) return; // the cycle guard refused it
    }
  }
  if (
    draft.failures.length === 0 &&
    draft.queue.length === 0 &&
    draft.pending.length === 0 &&
    draft.running.length === 0 &&
    draft.waiting.length === 0
  ) {
    complete(ctx, null);
  }
}

function complete(ctx: Context, exit: string | null): void {
  const { draft } = ctx;
  draft.status = 'completed';
  draft.exit = exit;
  draft.running = [];
  draft.waiting = [];
  draft.queue = [];
  draft.pending = [];
  // Runs and waits issued earlier in this same batch were never started: drop them, so that nothing
  // acts after the instance completed.
  const kept = ctx.commands.filter((c) => c.type !== 'run' && c.type !== 'raise' && c.type !== 'wait');
  ctx.commands.splice(0, ctx.commands.length, ...kept, { type: 'complete', exit });
}

/** `now` plus `seconds`, as an ISO instant. Pure: it only reads its arguments. */
function addSeconds(now: string, seconds: number): string {
  const ms = Date.parse(now);
  if (Number.isNaN(ms)) throw new Error(`now is not an ISO instant: ${JSON.stringify(now)}`);
  return new Date(ms + seconds * 1000).toISOString();
}
