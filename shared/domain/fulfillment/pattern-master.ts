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
