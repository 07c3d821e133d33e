/** A mixed-integer program in CPLEX LP format and the names of its columns, in the caller's order. */
export interface MipProblem {
  lpText: string;
  columnNames: readonly string[];
  /** A feasible (or nearly) starting point, one value per column name (a MIP start). */
  start?: readonly number[];
  /** Rows whose duals are wanted (a pure LP: no integer columns), by name. */
  rowNames?: readonly string[];
}

export interface MipSolveOptions {
  /** Stop after this many seconds with the best solution found. */
  timeLimitSeconds: number;
  /** Stop once (primal − dual bound) / |primal| is at most this. */
  relativeGap: number;
}

/**
 * How a solve ended. `optimal` includes stopping at the requested gap; `time-limit` may still carry
 * a solution; `infeasible` and `failed` carry none.
 */
export type MipOutcome = 'optimal' | 'time-limit' | 'infeasible' | 'failed';

export interface MipSolution {
  outcome: MipOutcome;
  /** Column values in `columnNames` order, when a solution exists. */
  values?: number[];
  /** Objective of `values`. */
  objective?: number;
  /** Best proven lower bound of the objective (minimization). */
  dualBound?: number;
  /** Solver's own relative gap of the returned solution. */
  gap?: number;
  /** Duals of `rowNames` (HiGHS sign convention: ≤ rows binding in a minimization have duals ≤ 0). */
  rowDuals?: number[];
  seconds: number;
  /** What went wrong, for `failed`. */
  error?: string;
}

/** Solves MIPs (minimization). Implementations must not throw for solver failures: outcome `failed`. */
export interface MipSolver {
  solve(problem: MipProblem, options: MipSolveOptions): Promise<MipSolution>;
}
