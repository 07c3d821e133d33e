import type { Coupling } from './decompose-groups';
import type { PassAllocations } from './greedy-plan';
import { stockKey, type SourcingOrder, type SourcingPass } from './sourcing-pass';

/** What each model variable stands for (the variable map). Column `i` is named `c{i}` in the LP text. */
export type ModelColumn =
  /** Binary: the order ships from the source (one shipment). */
  | { kind: 'y'; orderIndex: number; sourceIndex: number }
  /** Integer: units of the line taken from the source. */
  | { kind: 'x'; lineKey: number; sourceIndex: number }
  /** Binary: the line uses the source (for sources-per-line and daily line limits). */
  | { kind: 'z'; lineKey: number; sourceIndex: number }
  /** Continuous: units of the line left unsourced beyond those no plan can source (at most `units`). */
  | { kind: 'u'; lineKey: number; units: number }
  /** Binary: the line (all or nothing) is not sourced. */
  | { kind: 'w'; lineKey: number; units: number }
  /** Binary: the order (all or nothing) is not sourced. */
  | { kind: 'v'; orderIndex: number; lineKeys: number[] };

export interface Row {
  terms: [number, number][];
  sense: '<=' | '=';
  rhs: number;
}

/** A group's mixed-integer program in CPLEX LP format, with its variable map. */
export interface MipModel {
  lpText: string;
  columns: ModelColumn[];
  columnNames: string[];
  rows: number;
  integers: number;
  /** Penalty of units no plan of this group can source; not part of the LP objective. */
  fixedPenalty: number;
  /** Those units. */
  fixedUnits: number;
  orders: readonly SourcingOrder[];
}

/**
 * The model of one group (minimize):
 *   Σ cost(o,s)·y[o,s] + Σ unitCost·x[l,s] + penalty·(unsourced units)
 * subject to, for every line l of order o and candidate source s (cap = min(quantity, available)):
 *   x[l,s] ≤ cap·y[o,s]                  (or ≤ cap·z[l,s] with z[l,s] ≤ y[o,s] when z is needed)
 *   Σ_s x[l,s] + u[l] = quantity − unavoidable   (partial line allowed; u continuous)
 *   Σ_s x[l,s] + quantity·w[l] = quantity        (partial line refused; w binary)
 *   Σ_s x[l,s] + quantity·v[o] = quantity        (partial order refused; v binary, one per order)
 *   Σ_l x[l,s] ≤ available(sku, s)      (only where candidate demand exceeds it)
 *   Σ_s y[o,s] ≤ maxSourcesPerOrder − sources already used;  Σ_s z[l,s] ≤ maxSourcesPerLine
 *   Σ_l z[l,s] ≤ lines source s may still take today (only where binding)
 * `cap` as the big-M keeps the relaxation tight; a single-line order uses y as its z.
 * With `maxUnsourced` (the fill target): Σ u + quantity·w + quantity·v ≤ maxUnsourced − fixed units.
 * With `objective: 'fill'` every cost is 0 and each unsourced unit costs 1 (finds the fill target).
 */
export function buildMipModel(
  pass: SourcingPass,
  group: readonly SourcingOrder[],
  coupling: Coupling,
  options: { objective?: 'cost' | 'fill'; maxUnsourced?: number } = {}
): MipModel {
  const { rules } = pass;
  const fillOnly = options.objective === 'fill';
  const penaltyPerUnit = fillOnly ? 1 : pass.penaltyPerUnit;
  const unsourcedTerms: [number, number][] = [];
  const columns: ModelColumn[] = [];
  const costs: number[] = [];
  const upper: number[] = [];
  const type: ('binary' | 'integer' | 'continuous')[] = [];
  const rows: Row[] = [];
  const stockRows = new Map<string, [number, number][]>();
  const capacityRows = new Map<number, [number, number][]>();
  let fixedPenalty = 0;

  const add = (column: ModelColumn, cost: number, kind: (typeof type)[number], ub: number): number => {
    columns.push(column);
    costs.push(fillOnly && (column.kind === 'y' || column.kind === 'x') ? 0 : cost);
    type.push(kind);
    upper.push(ub);
    return columns.length - 1;
  };

  for (const order of group) {
    const preUsed = [...order.shipments.values()].filter((s) => s.preUsed).map((s) => s.sourceIndex);
    const freeSlots =
      rules.maxSourcesPerOrder === undefined ? Infinity : rules.maxSourcesPerOrder - preUsed.length;
    // With no slot left, only sources the order already ships from may be used.
    const allowed = (sourceIndex: number) => freeSlots > 0 || preUsed.includes(sourceIndex);
    const lines = order.lines.map((line) => ({
      line,
      options: line.options.filter((o) => allowed(o.sourceIndex)),
    }));
    const coverable = (l: (typeof lines)[number]) =>
      l.options.reduce((sum, o) => sum + o.cap, 0) >= l.line.line.quantity;
    const wholeOrder = !rules.allowPartialOrder;
    if (wholeOrder && !lines.every(coverable)) {
      for (const l of lines) fixedPenalty += l.line.line.quantity * penaltyPerUnit;
      continue;
    }
    const y = new Map<number, number>();
    for (const shipment of order.shipments.values()) {
      if (shipment.preUsed || !allowed(shipment.sourceIndex)) continue;
      if (!lines.some((l) => l.options.some((o) => o.sourceIndex === shipment.sourceIndex))) continue;
      y.set(
        shipment.sourceIndex,
        add(
          { kind: 'y', orderIndex: order.orderIndex, sourceIndex: shipment.sourceIndex },
          shipment.cost,
          'binary',
          1
        )
      );
    }
    if (freeSlots < y.size)
      rows.push({ terms: [...y.values()].map((c) => [1, c]), sense: '<=', rhs: freeSlots });
    const orderUnits = lines.reduce((sum, l) => sum + l.line.line.quantity, 0);
    const v = wholeOrder
      ? add(
          { kind: 'v', orderIndex: order.orderIndex, lineKeys: lines.map((l) => l.line.key) },
          penaltyPerUnit * orderUnits,
          'binary',
          1
        )
      : undefined;
    if (v !== undefined) unsourcedTerms.push([orderUnits, v]);
    const singleLine = order.lines.length === 1;
    for (const { line, options } of lines) {
      const quantity = line.line.quantity;
      const capTotal = options.reduce((sum, o) => sum + o.cap, 0);
      if (options.length === 0 || (!rules.allowPartialLine && !wholeOrder && capTotal < quantity)) {
        fixedPenalty += quantity * penaltyPerUnit;
        continue;
      }
      const perLineLimit =
        rules.maxSourcesPerLine !== undefined && options.length > rules.maxSourcesPerLine
          ? rules.maxSourcesPerLine
          : undefined;
      const demand: [number, number][] = [];
      const zs: number[] = [];
      for (const option of options) {
        const x = add(
          { kind: 'x', lineKey: line.key, sourceIndex: option.sourceIndex },
          option.unitCost,
          'integer',
          option.cap
        );
        demand.push([1, x]);
        const key = stockKey(line.line.sku, option.sourceIndex);
        if (coupling.stockKeys.has(key)) push(stockRows, key, [1, x]);
        const yCol = y.get(option.sourceIndex);
        const needsZ = perLineLimit !== undefined || coupling.capacitySources.has(option.sourceIndex);
        let link = yCol;
        if (needsZ) {
          if (singleLine && yCol !== undefined) link = yCol;
          else {
            link = add({ kind: 'z', lineKey: line.key, sourceIndex: option.sourceIndex }, 0, 'binary', 1);
            if (yCol !== undefined)
              rows.push({
                terms: [
                  [1, link],
                  [-1, yCol],
                ],
                sense: '<=',
                rhs: 0,
              });
          }
          zs.push(link);
          if (coupling.capacitySources.has(option.sourceIndex))
            push(capacityRows, option.sourceIndex, [1, link]);
        }
        if (link !== undefined)
          rows.push({
            terms: [
              [1, x],
              [-option.cap, link],
            ],
            sense: '<=',
            rhs: 0,
          });
      }
      if (perLineLimit !== undefined)
        rows.push({ terms: zs.map((z) => [1, z]), sense: '<=', rhs: perLineLimit });
      if (v !== undefined) {
        rows.push({ terms: [...demand, [quantity, v]], sense: '=', rhs: quantity });
      } else if (!rules.allowPartialLine) {
        const w = add(
          { kind: 'w', lineKey: line.key, units: quantity },
          penaltyPerUnit * quantity,
          'binary',
          1
        );
        rows.push({ terms: [...demand, [quantity, w]], sense: '=', rhs: quantity });
        unsourcedTerms.push([quantity, w]);
      } else {
        // Units beyond every candidate's cap are unsourced in any plan: a constant, kept out of the
        // model so the proven gap measures only what the solver decides.
        const reachable = Math.min(quantity, capTotal);
        fixedPenalty += (quantity - reachable) * penaltyPerUnit;
        const u = add(
          { kind: 'u', lineKey: line.key, units: reachable },
          penaltyPerUnit,
          'continuous',
          reachable
        );
        rows.push({ terms: [...demand, [1, u]], sense: '=', rhs: reachable });
        unsourcedTerms.push([1, u]);
      }
    }
  }
  for (const [key, terms] of stockRows) rows.push({ terms, sense: '<=', rhs: pass.available.get(key) ?? 0 });
  for (const [sourceIndex, terms] of capacityRows) {
    rows.push({ terms, sense: '<=', rhs: pass.capacity[sourceIndex] ?? 0 });
  }
  const fixedUnits = Math.round(fixedPenalty / penaltyPerUnit);
  if (options.maxUnsourced !== undefined && unsourcedTerms.length > 0)
    rows.push({ terms: unsourcedTerms, sense: '<=', rhs: Math.max(0, options.maxUnsourced - fixedUnits) });

  const columnNames = columns.map((_, i) => `c${i}`);
  const lpText = writeLp(columnNames, costs, upper, type, rows);
  const integers = type.filter((t) => t !== 'continuous').length;
  return {
    lpText,
    columns,
    columnNames,
    rows: rows.length,
    integers,
    fixedPenalty,
    fixedUnits,
    orders: group,
  };
}

function push<K>(map: Map<K, [number, number][]>, key: K, term: [number, number]) {
  const terms = map.get(key);
  if (terms === undefined) map.set(key, [term]);
  else terms.push(term);
}

/** LP text (rows named r0, r1, …); long expressions are broken over lines (the reader limits line length). */
export function writeLp(
  names: string[],
  costs: number[],
  upper: number[],
  type: ('binary' | 'integer' | 'continuous')[],
  rows: Row[]
): string {
  const out: string[] = ['Minimize'];
  const expression = (terms: [number, number][]) => {
    const parts = terms.map(([coef, col], i) => {
      const sign = coef < 0 ? '-' : i === 0 ? '' : '+';
      const magnitude = Math.abs(coef);
      return `${sign}${sign === '' ? '' : ' '}${magnitude === 1 ? '' : `${magnitude} `}${names[col]}`;
    });
    const lines: string[] = [];
    for (let i = 0; i < parts.length; i += 8) lines.push(parts.slice(i, i + 8).join(' '));
    return lines.join('\n  ');
  };
  const objective = costs.map((c, i) => [c, i] as [number, number]).filter(([c]) => c !== 0);
  // Every column is listed in the objective (0 when free) so the reader knows it even if no row names it.
  const zeros = costs.map((c, i) => [c, i] as [number, number]).filter(([c]) => c === 0);
  out.push(
    ` obj: ${expression([...objective, ...zeros.map(([, i]) => [0, i] as [number, number])]) || '0 c0'}`
  );
  out.push('Subject To');
  rows.forEach((row, i) => out.push(` r${i}: ${expression(row.terms)} ${row.sense} ${row.rhs}`));
  out.push('Bounds');
  names.forEach((name, i) => {
    if (type[i] !== 'binary') out.push(` 0 <= ${name} <= ${upper[i]}`);
  });
  const binaries = names.filter((_, i) => type[i] === 'binary');
  const generals = names.filter((_, i) => type[i] === 'integer');
  if (binaries.length > 0) out.push('Binaries', ...chunk(binaries));
  if (generals.length > 0) out.push('Generals', ...chunk(generals));
  out.push('End', '');
  return out.join('\n');
}

function chunk(names: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += 20) lines.push(` ${names.slice(i, i + 20).join(' ')}`);
  return lines;
}

/** The value of every column for a plan (the greedy warm start). */
export function columnValues(model: MipModel, allocations: PassAllocations): number[] {
  const units = (lineKey: number, sourceIndex?: number) =>
    (allocations.get(lineKey) ?? [])
      .filter((p) => sourceIndex === undefined || p.sourceIndex === sourceIndex)
      .reduce((sum, p) => sum + p.quantity, 0);
  const orderUses = new Map<number, Set<number>>();
  for (const order of model.orders) {
    const used = new Set<number>();
    for (const line of order.lines)
      for (const p of allocations.get(line.key) ?? []) if (p.quantity > 0) used.add(p.sourceIndex);
    orderUses.set(order.orderIndex, used);
  }
  const quantityOf = new Map<number, number>();
  for (const order of model.orders)
    for (const line of order.lines) quantityOf.set(line.key, line.line.quantity);
  return model.columns.map((column) => {
    switch (column.kind) {
      case 'x':
        return units(column.lineKey, column.sourceIndex);
      case 'y':
        return orderUses.get(column.orderIndex)?.has(column.sourceIndex) ? 1 : 0;
      case 'z':
        return units(column.lineKey, column.sourceIndex) > 0 ? 1 : 0;
      case 'u':
        return Math.max(0, column.units - units(column.lineKey));
      case 'w':
        return units(column.lineKey) < column.units ? 1 : 0;
      case 'v':
        return column.lineKeys.some((k) => units(k) < (quantityOf.get(k) ?? 0)) ? 1 : 0;
    }
  });
}

/** The plan a solution describes (units rounded: the solver's integers carry tolerances). */
export function allocationsFromValues(model: MipModel, values: ArrayLike<number>): PassAllocations {
  const plan: PassAllocations = new Map();
  for (const order of model.orders) for (const line of order.lines) plan.set(line.key, []);
  model.columns.forEach((column, i) => {
    if (column.kind !== 'x') return;
    const quantity = Math.round(values[i] ?? 0);
    if (quantity > 0) plan.get(column.lineKey)!.push({ sourceIndex: column.sourceIndex, quantity });
  });
  return plan;
}
