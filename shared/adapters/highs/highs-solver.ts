import loadHighs, { type Highs } from 'highs';
import type { LpColumn, LpSession, LpSessionSolution } from '../../domain/fulfillment/pattern-master';
import type { MipProblem, MipSolution, MipSolveOptions, MipSolver } from '../../ports/mip-solver';

/**
 * HiGHS (WebAssembly, `highs` package) behind the MipSolver port.
 *
 * The runtime is loaded once and reused. Known trap (lovasoa/highs-js issues #9, #10, #45, #52):
 * after many or large solves the Wasm instance can fail with "memory access out of bounds" (or
 * similar RuntimeErrors), and an instance that trapped is not safe to use again. So a model is always
 * disposed in `finally`, the runtime is dropped and reloaded after any thrown solver error (the solve
 * is retried once on the fresh runtime), and it is also reloaded once its linear memory has grown past
 * `maxMemoryBytes`, since Wasm memory never shrinks.
 */
export class HighsMipSolver implements MipSolver {
  #runtime: Promise<Highs> | undefined;

  constructor(private readonly maxMemoryBytes = 1024 * 1024 * 1024) {}

  async solve(problem: MipProblem, options: MipSolveOptions): Promise<MipSolution> {
    const started = performance.now();
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const highs = await this.#highs();
        const seconds = () => (performance.now() - started) / 1000;
        const remaining = Math.max(0.05, options.timeLimitSeconds - seconds());
        return {
          ...solveOnce(highs, problem, { ...options, timeLimitSeconds: remaining }),
          seconds: seconds(),
        };
      } catch (err) {
        lastError = err;
        this.#runtime = undefined;
      }
    }
    return {
      outcome: 'failed',
      seconds: (performance.now() - started) / 1000,
      error: lastError instanceof Error ? lastError.message : String(lastError),
    };
  }

  /** A live LP (see HighsLpSession); undefined when the runtime cannot be had. */
  async openLp(): Promise<LpSession | undefined> {
    try {
      const highs = await this.#highs();
      return new HighsLpSession(highs.createModel(), highs.constants.modelStatus.optimal);
    } catch {
      this.#runtime = undefined;
      return undefined;
    }
  }

  async #highs(): Promise<Highs> {
    if (this.#runtime !== undefined) {
      const highs = await this.#runtime;
      if (highs.memoryBytes <= this.maxMemoryBytes) return highs;
    }
    const loading = loadHighs();
    this.#runtime = loading;
    loading.catch(() => {
      if (this.#runtime === loading) this.#runtime = undefined;
    });
    return loading;
  }
}

function solveOnce(
  highs: Highs,
  problem: MipProblem,
  options: MipSolveOptions
): Omit<MipSolution, 'seconds'> {
  const model = highs.createModel({ format: 'lp', data: problem.lpText });
  try {
    model.options.set({
      output_flag: false,
      time_limit: options.timeLimitSeconds,
      mip_rel_gap: options.relativeGap,
      ...(isLargeLp(problem) ? { solver: 'ipm' } : {}),
    });
    // The LP reader numbers columns in its own order; the variable map goes by name.
    const index = problem.columnNames.map((name) => model.getColByName(name));
    if (problem.start !== undefined) {
      model.setSolution({ indices: Int32Array.from(index), values: Float64Array.from(problem.start) });
    }
    model.run();
    const status = model.getModelStatus();
    const codes = highs.constants.modelStatus;
    if (status === codes.infeasible) return { outcome: 'infeasible' };
    const hasSolution = Number(model.info.get('primal_solution_status')) === 2;
    const outcome =
      status === codes.optimal ? 'optimal' : status === codes.timeLimit ? 'time-limit' : 'failed';
    if (!hasSolution) {
      return outcome === 'failed'
        ? { outcome, error: `HiGHS ended with model status ${status}` }
        : { outcome: 'time-limit', ...dualBoundOf(model) };
    }
    const solution = model.getSolution();
    const colValue = solution.colValue;
    const rowDuals = problem.rowNames?.map((name) => solution.rowDual[model.getRowByName(name)] ?? 0);
    return {
      ...(rowDuals === undefined ? {} : { rowDuals }),
      outcome: outcome === 'failed' ? 'time-limit' : outcome,
      values: index.map((i) => colValue[i] ?? 0),
      objective: model.getObjectiveValue(),
      ...dualBoundOf(model),
      gap: Number(model.info.get('mip_gap')),
    };
  } finally {
    model.dispose();
  }
}

/**
 * An LP (duals wanted, so no integer columns) of more than this many columns is solved by the
 * interior-point method, with crossover, so its duals are still those of a vertex. On the benchmark's
 * pattern masters of ~1,600 orders (6,000–18,000 columns, solved from text each round) its rounds took
 * 2.7–3.8 s where dual simplex from scratch took 4.8–6.2 s; smaller LPs are faster by simplex.
 */
const ipmFromColumns = 5000;

function isLargeLp(problem: MipProblem): boolean {
  return problem.rowNames !== undefined && problem.columnNames.length > ipmFromColumns;
}

function dualBoundOf(model: { info: { get(name: string): number | bigint } }): { dualBound?: number } {
  const bound = Number(model.info.get('mip_dual_bound'));
  return Number.isFinite(bound) ? { dualBound: bound } : {};
}

/**
 * A pattern master LP kept alive in HiGHS between column-generation rounds: rows and columns are
 * appended and each solve restarts the simplex from the previous basis (new columns nonbasic), instead
 * of parsing LP text and solving from scratch every round. After a thrown error the session is dead
 * (the caller falls back to LP text); it never reloads the runtime itself.
 */
class HighsLpSession implements LpSession {
  #model: ReturnType<Highs['createModel']> | undefined;
  #columns = 0;
  #rows = 0;
  #ranSeconds = 0;

  constructor(
    model: ReturnType<Highs['createModel']>,
    private readonly optimalStatus: number
  ) {
    this.#model = model;
    // No presolve: it would throw the previous basis away (a hot start is the point of the session).
    model.options.set({ output_flag: false, presolve: 'off' });
  }

  addRow(lower: number, upper: number, entries: readonly (readonly [number, number])[]): number {
    const model = this.#live();
    model.addRow(lower, upper, {
      indices: Int32Array.from(entries.map(([column]) => column)),
      values: Float64Array.from(entries.map(([, value]) => value)),
    });
    return this.#rows++;
  }

  addColumns(columns: readonly LpColumn[]): number {
    const model = this.#live();
    if (columns.length === 0) return this.#columns;
    const starts = new Int32Array(columns.length + 1);
    let nonzeros = 0;
    columns.forEach((c, i) => {
      starts[i] = nonzeros;
      nonzeros += c.entries.length;
    });
    starts[columns.length] = nonzeros;
    const indices = new Int32Array(nonzeros);
    const values = new Float64Array(nonzeros);
    let at = 0;
    for (const c of columns)
      for (const [row, value] of c.entries) {
        indices[at] = row;
        values[at++] = value;
      }
    model.addCols({
      cost: Float64Array.from(columns.map((c) => c.cost)),
      lower: new Float64Array(columns.length),
      upper: Float64Array.from(columns.map((c) => c.upper)),
      matrix: { format: 'csc', numRows: this.#rows, numCols: columns.length, starts, indices, values },
    });
    const first = this.#columns;
    this.#columns += columns.length;
    return first;
  }

  solve(timeLimitSeconds: number): LpSessionSolution {
    const started = performance.now();
    const model = this.#live();
    // HiGHS measures time_limit against the run time of every run of the model so far, not this one.
    model.options.set({ time_limit: this.#ranSeconds + Math.max(0.05, timeLimitSeconds) });
    model.run();
    const seconds = (performance.now() - started) / 1000;
    this.#ranSeconds += seconds;
    if (Number(model.info.get('primal_solution_status')) !== 2) return { outcome: 'failed', seconds };
    const optimal = model.getModelStatus() === this.optimalStatus;
    const solution = model.getSolution();
    return {
      outcome: optimal ? 'optimal' : 'time-limit',
      values: Array.from(solution.colValue),
      rowDuals: Array.from(solution.rowDual),
      objective: model.getObjectiveValue(),
      seconds,
    };
  }

  dispose(): void {
    this.#model?.dispose();
    this.#model = undefined;
  }

  #live() {
    if (this.#model === undefined) throw new Error('LP session disposed');
    return this.#model;
  }
}
