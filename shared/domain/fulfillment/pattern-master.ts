import { writeLp, type Row } from './mip-model';
import type { OrderPattern } from './order-patterns';

/** The pattern model over some orders: one pattern per order, contended stock rows. */
export interface PatternMaster {
  lpText: string;
  columnNames: string[];
  /** `r{i}` names of the rows: first one convexity row per order, then the stock rows. */
  rowNames: string[];
  /** The pattern behind each column. */
  columns: OrderPattern[];
  /** Order index of each convexity row, then the stock key of each stock row. */
  orderRows: number[];
  keyRows: string[];
  /** Index of the fill-target row (after the stock rows), when one is needed. */
  fillRow?: number;
}

/**
 * minimize Σ cost(p)·λ[p]  subject to  Σ_{p of o} λ[p] = 1 for every order o,
 * Σ_p usage(p, k)·λ[p] ≤ available(k) for every stock key k of `keys` some pattern uses;
 * Σ_p unsourced(p)·λ[p] ≤ maxUnsourced (the fill target, when given and some choice could miss it);
 * λ binary (`integer`) or in [0, 1] (the relaxation whose duals price new patterns).
 */
export function buildPatternMaster(
  patterns: ReadonlyMap<number, readonly OrderPattern[]>,
  keys: Iterable<string>,
  available: ReadonlyMap<string, number>,
  integer: boolean,
  maxUnsourced?: number
): PatternMaster {
  const columns: OrderPattern[] = [];
  const rows: Row[] = [];
  const orderRows: number[] = [];
  for (const [orderIndex, list] of patterns) {
    const terms: [number, number][] = [];
    for (const pattern of list) {
      terms.push([1, columns.length]);
      columns.push(pattern);
    }
    rows.push({ terms, sense: '=', rhs: 1 });
    orderRows.push(orderIndex);
  }
  const wanted = new Set(keys);
  const byKey = new Map<string, [number, number][]>();
  columns.forEach((pattern, i) => {
    for (const [key, units] of pattern.usage) {
      if (units <= 0 || !wanted.has(key)) continue;
      const terms = byKey.get(key);
      if (terms === undefined) byKey.set(key, [[units, i]]);
      else terms.push([units, i]);
    }
  });
  // A row no choice of these patterns can overdraw (Σ over orders of their largest use ≤ stock) is
  // redundant and left out.
  const keyRows: string[] = [];
  for (const [key, terms] of byKey) {
    const largest = new Map<number, number>();
    for (const [units, i] of terms) {
      const order = columns[i]!.orderIndex;
      largest.set(order, Math.max(largest.get(order) ?? 0, units));
    }
    const available_ = available.get(key) ?? 0;
    if ([...largest.values()].reduce((a, b) => a + b, 0) <= available_) continue;
    rows.push({ terms, sense: '<=', rhs: available_ });
    keyRows.push(key);
  }
  let fillRow: number | undefined;
  if (maxUnsourced !== undefined) {
    const worst = new Map<number, number>();
    for (const p of columns) worst.set(p.orderIndex, Math.max(worst.get(p.orderIndex) ?? 0, p.unsourced));
    if ([...worst.values()].reduce((a, b) => a + b, 0) > maxUnsourced) {
      fillRow = rows.length;
      const terms: [number, number][] = [];
      columns.forEach((p, i) => {
        if (p.unsourced > 0) terms.push([p.unsourced, i]);
      });
      rows.push({ terms, sense: '<=', rhs: maxUnsourced });
    }
  }
  const columnNames = columns.map((_, i) => `c${i}`);
  const lpText = writeLp(
    columnNames,
    columns.map((p) => p.cost),
    columns.map(() => 1),
    columns.map(() => (integer ? 'binary' : 'continuous')),
    rows
  );
  return {
    lpText,
    columnNames,
    rowNames: rows.map((_, i) => `r${i}`),
    columns,
    orderRows,
    keyRows,
    ...(fillRow === undefined ? {} : { fillRow }),
  };
}

/** What a live LP (kept between column-generation rounds) returns from a solve. */
export interface LpSessionSolution {
  outcome: 'optimal' | 'time-limit' | 'failed';
  values?: number[];
  /** Row duals by row index (HiGHS convention: a binding ≤ row of a minimization has a dual ≤ 0). */
  rowDuals?: number[];
  objective?: number;
  seconds: number;
}

/** A column in [0, upper] with entries [row, value] in existing rows. */
export interface LpColumn {
  cost: number;
  upper: number;
  entries: readonly (readonly [number, number])[];
}

/** An LP that grows by rows and columns and re-solves from its last basis. Methods may throw. */
export interface LpSession {
  /** lower ≤ Σ value·column ≤ upper over existing columns ([column, value]); returns the row index. */
  addRow(lower: number, upper: number, entries: readonly (readonly [number, number])[]): number;
  /** Columns appended in order; returns the index of the first. */
  addColumns(columns: readonly LpColumn[]): number;
  solve(timeLimitSeconds: number): LpSessionSolution;
  dispose(): void;
}

/** A solver that can also keep an LP alive (the HiGHS adapter). */
export interface LpSessionFactory {
  openLp(): Promise<LpSession | undefined>;
}

export function canOpenLp(solver: object): solver is LpSessionFactory {
  return typeof (solver as Partial<LpSessionFactory>).openLp === 'function';
}

/**
 * The pattern master's relaxation kept in a live LP: the same rows as `buildPatternMaster` (a
 * convexity row per order, a stock row once some choice of the columns could overdraw it, the fill
 * row once some choice could miss the target), appended as columns arrive. `sync` adds the columns of
 * `patterns` not yet in the LP (lists only grow) and the rows they make necessary.
 */
export class LivePatternMaster {
  readonly columns: OrderPattern[] = [];
  readonly orderRows: number[] = [];
  /** Row index of each convexity row, in `orderRows` order. */
  readonly orderRowIndexes: number[] = [];
  readonly keyRows: string[] = [];
  /** Row index of each key row, in `keyRows` order. */
  readonly keyRowIndexes: number[] = [];
  fillRow: number | undefined;
  #orderRow = new Map<number, number>();
  #keyRow = new Map<string, number>();
  #added = new Map<number, number>();
  /** Per stock key: largest use per order, their sum; per order: most units unsourced. */
  #largest = new Map<string, Map<number, number>>();
  #largestSum = new Map<string, number>();
  #worst = new Map<number, number>();
  #worstSum = 0;
  #rows = 0;
  /** Per stock key of `keys`: [column, units] of the columns in the LP that use it. */
  #usedBy = new Map<string, [number, number][]>();

  constructor(
    private readonly session: LpSession,
    private readonly keys: ReadonlySet<string>,
    private readonly available: ReadonlyMap<string, number>,
    private readonly maxUnsourced: number | undefined
  ) {}

  get rowCount(): number {
    return this.#rows;
  }

  sync(patterns: ReadonlyMap<number, readonly OrderPattern[]>): void {
    const fresh: OrderPattern[] = [];
    for (const [orderIndex, list] of patterns) {
      if (!this.#orderRow.has(orderIndex)) {
        const row = this.session.addRow(1, 1, []);
        this.#orderRow.set(orderIndex, row);
        this.#rows++;
        this.orderRows.push(orderIndex);
        this.orderRowIndexes.push(row);
      }
      const done = this.#added.get(orderIndex) ?? 0;
      for (let i = done; i < list.length; i++) fresh.push(list[i]!);
      this.#added.set(orderIndex, list.length);
    }
    // Rows first (over the columns already in), then the new columns with every row they enter.
    for (const p of fresh) {
      for (const [key, units] of p.usage) {
        if (units <= 0 || !this.keys.has(key)) continue;
        let perOrder = this.#largest.get(key);
        if (perOrder === undefined) this.#largest.set(key, (perOrder = new Map<number, number>()));
        const before = perOrder.get(p.orderIndex) ?? 0;
        if (units > before) {
          perOrder.set(p.orderIndex, units);
          this.#largestSum.set(key, (this.#largestSum.get(key) ?? 0) + units - before);
        }
      }
      const worst = this.#worst.get(p.orderIndex) ?? 0;
      if (p.unsourced > worst) {
        this.#worst.set(p.orderIndex, p.unsourced);
        this.#worstSum += p.unsourced - worst;
      }
    }
    for (const [key, sum] of this.#largestSum) {
      if (this.#keyRow.has(key) || sum <= (this.available.get(key) ?? 0)) continue;
      const entries = this.#usedBy.get(key) ?? [];
      const row = this.session.addRow(-Infinity, this.available.get(key) ?? 0, entries);
      this.#rows++;
      this.#keyRow.set(key, row);
      this.keyRows.push(key);
      this.keyRowIndexes.push(row);
    }
    if (this.fillRow === undefined && this.maxUnsourced !== undefined && this.#worstSum > this.maxUnsourced) {
      const entries: [number, number][] = [];
      this.columns.forEach((p, i) => {
        if (p.unsourced > 0) entries.push([i, p.unsourced]);
      });
      this.fillRow = this.session.addRow(-Infinity, this.maxUnsourced, entries);
      this.#rows++;
    }
    const added: LpColumn[] = fresh.map((p) => {
      const entries: [number, number][] = [[this.#orderRow.get(p.orderIndex)!, 1]];
      for (const [key, units] of p.usage) {
        const row = this.#keyRow.get(key);
        if (row !== undefined && units > 0) entries.push([row, units]);
      }
      if (this.fillRow !== undefined && p.unsourced > 0) entries.push([this.fillRow, p.unsourced]);
      return { cost: p.cost, upper: 1, entries };
    });
    this.session.addColumns(added);
    for (const p of fresh) {
      const column = this.columns.length;
      this.columns.push(p);
      for (const [key, units] of p.usage) {
        if (units <= 0 || !this.keys.has(key)) continue;
        const list = this.#usedBy.get(key);
        if (list === undefined) this.#usedBy.set(key, [[column, units]]);
        else list.push([column, units]);
      }
    }
  }

  solve(timeLimitSeconds: number): LpSessionSolution {
    return this.session.solve(timeLimitSeconds);
  }

  dispose(): void {
    this.session.dispose();
  }
}
