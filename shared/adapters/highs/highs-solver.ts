import loadHighs, { type Highs } from 'highs';
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

function dualBoundOf(model: { info: { get(name: string): number | bigint } }): { dualBound?: number } {
  const bound = Number(model.info.get('mip_dual_bound'));
  return Number.isFinite(bound) ? { dualBound: bound } : {};
}
