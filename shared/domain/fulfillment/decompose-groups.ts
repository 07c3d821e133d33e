import { stockKey, type SourcingOrder, type SourcingPass } from './sourcing-pass';

/** Constraints that tie orders together: stock short of demand, daily line limits that bind. */
export interface Coupling {
  /** Stock keys whose candidate demand exceeds what is available (a stock row is needed). */
  stockKeys: ReadonlySet<string>;
  /** Sources whose daily line limit is below the number of lines that could use them. */
  capacitySources: ReadonlySet<number>;
}

/**
 * Only binding limits couple: when every line could take its full cap from a source without running
 * it out, that stock row is redundant and left out of the model (likewise for line limits).
 */
export function findCoupling(pass: SourcingPass): Coupling {
  const demand = new Map<string, number>();
  const linesPerSource = new Map<number, number>();
  for (const order of pass.orders) {
    for (const line of order.lines) {
      for (const option of line.options) {
        const key = stockKey(line.line.sku, option.sourceIndex);
        demand.set(key, (demand.get(key) ?? 0) + option.cap);
        linesPerSource.set(option.sourceIndex, (linesPerSource.get(option.sourceIndex) ?? 0) + 1);
      }
    }
  }
  const stockKeys = new Set<string>();
  for (const [key, total] of demand) if (total > (pass.available.get(key) ?? 0)) stockKeys.add(key);
  const capacitySources = new Set<number>();
  for (const [sourceIndex, lines] of linesPerSource) {
    const capacity = pass.capacity[sourceIndex];
    if (capacity !== undefined && lines > capacity) capacitySources.add(sourceIndex);
  }
  return { stockKeys, capacitySources };
}

/**
 * Independent groups of orders (union-find): two orders are in one group when they compete for the
 * same binding stock or the same binding daily limit. Each group is an independent model; orders
 * with nothing to plan (no line has a candidate) are left out.
 */
export function decomposeGroups(pass: SourcingPass, coupling: Coupling): SourcingOrder[][] {
  const parent = pass.orders.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstUser = new Map<string, number>();
  const tie = (token: string, i: number) => {
    const first = firstUser.get(token);
    if (first === undefined) firstUser.set(token, i);
    else union(first, i);
  };
  pass.orders.forEach((order, i) => {
    for (const line of order.lines) {
      for (const option of line.options) {
        const key = stockKey(line.line.sku, option.sourceIndex);
        if (coupling.stockKeys.has(key)) tie(`s${key}`, i);
        if (coupling.capacitySources.has(option.sourceIndex)) tie(`c${option.sourceIndex}`, i);
      }
    }
  });
  const groups = new Map<number, SourcingOrder[]>();
  pass.orders.forEach((order, i) => {
    if (!order.lines.some((l) => l.options.length > 0)) return;
    const root = find(i);
    let group = groups.get(root);
    if (group === undefined) groups.set(root, (group = []));
    group.push(order);
  });
  return [...groups.values()];
}
