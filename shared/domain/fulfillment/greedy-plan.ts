import {
  stockKey,
  type LineOption,
  type SourcingLine,
  type SourcingOrder,
  type SourcingPass,
} from './sourcing-pass';

/** Units a line takes from a source. */
export interface SourceUnits {
  sourceIndex: number;
  quantity: number;
}

/** A pass's answer: per line key, what it takes from where (absent or empty: nothing). */
export type PassAllocations = Map<number, SourceUnits[]>;

/** The order in which a line-by-line rule tries a line's candidate sources. */
export type OptionRanking = (
  pass: SourcingPass,
  order: SourcingOrder,
  line: SourcingLine,
  remaining: (option: LineOption) => number
) => LineOption[];

/** Nearest (cheapest shipment) first — the classic line-by-line rule, and the MIP's warm start. */
export const cheapestShipmentFirst: OptionRanking = (_pass, order, line) =>
  [...line.options].sort(
    (a, b) =>
      costOf(order, a, line.line.quantity) - costOf(order, b, line.line.quantity) ||
      a.sourceIndex - b.sourceIndex
  );

function costOf(order: SourcingOrder, option: LineOption, quantity: number): number {
  return (order.shipments.get(option.sourceIndex)?.cost ?? 0) + option.unitCost * quantity;
}

/**
 * Line by line, order by order: each line takes what it can from its sources in `ranking` order, and
 * the plan respects every rule of the pass (sources per order and per line, daily line limits, no
 * partial line or order when those are refused) — so it is a feasible start for the model.
 */
export function greedyPlan(
  pass: SourcingPass,
  ranking: OptionRanking = cheapestShipmentFirst
): PassAllocations {
  const { rules } = pass;
  const remaining = new Map(pass.available);
  const capacity = [...pass.capacity];
  const plan: PassAllocations = new Map();
  for (const order of pass.orders) {
    const preUsed = [...order.shipments.values()].filter((s) => s.preUsed).map((s) => s.sourceIndex);
    const orderParts = new Map<number, SourceUnits[]>();
    const used = () => new Set([...preUsed, ...[...orderParts.values()].flat().map((p) => p.sourceIndex)]);
    let complete = true;
    for (const line of order.lines) {
      let need = line.line.quantity;
      const parts: SourceUnits[] = [];
      const inUse = used();
      const left = (o: LineOption) => remaining.get(stockKey(line.line.sku, o.sourceIndex)) ?? 0;
      for (const option of ranking(pass, order, line, left)) {
        if (need === 0) break;
        if (rules.maxSourcesPerLine !== undefined && parts.length >= rules.maxSourcesPerLine) break;
        const fresh = !inUse.has(option.sourceIndex);
        if (fresh && rules.maxSourcesPerOrder !== undefined && inUse.size >= rules.maxSourcesPerOrder)
          continue;
        const cap = capacity[option.sourceIndex];
        if (cap !== undefined && cap <= 0) continue;
        const take = Math.min(need, left(option), option.cap);
        if (take <= 0) continue;
        parts.push({ sourceIndex: option.sourceIndex, quantity: take });
        need -= take;
        take_(line.line.sku, option.sourceIndex, take);
        inUse.add(option.sourceIndex);
      }
      if (need > 0 && !rules.allowPartialLine) {
        for (const p of parts) release(line.line.sku, p.sourceIndex, p.quantity);
        parts.length = 0;
      }
      if (need > 0) complete = false;
      orderParts.set(line.key, parts);
    }
    if (!complete && !rules.allowPartialOrder) {
      for (const line of order.lines) {
        for (const p of orderParts.get(line.key) ?? []) release(line.line.sku, p.sourceIndex, p.quantity);
        orderParts.set(line.key, []);
      }
    }
    for (const [key, parts] of orderParts) plan.set(key, parts);
  }
  return plan;

  function take_(sku: string, sourceIndex: number, quantity: number) {
    const key = stockKey(sku, sourceIndex);
    remaining.set(key, (remaining.get(key) ?? 0) - quantity);
    const cap = capacity[sourceIndex];
    if (cap !== undefined) capacity[sourceIndex] = cap - 1;
  }
  function release(sku: string, sourceIndex: number, quantity: number) {
    const key = stockKey(sku, sourceIndex);
    remaining.set(key, (remaining.get(key) ?? 0) + quantity);
    const cap = capacity[sourceIndex];
    if (cap !== undefined) capacity[sourceIndex] = cap + 1;
  }
}

/** What a pass's allocations cost, in the model's terms and in the objective's own. */
export interface PassCost {
  /** Shipments + unit costs + priority terms + penalty for unsourced units: what the model minimizes. */
  model: number;
  /** Shipments and unit costs only (distance in km, or money): what the plan reports. */
  primary: number;
  shipments: number;
  unsourcedUnits: number;
}

/** Prices allocations of some of a pass's orders (all of them by default). */
export function costOfAllocations(
  pass: SourcingPass,
  allocations: PassAllocations,
  orders: readonly SourcingOrder[] = pass.orders
): PassCost {
  let model = 0;
  let primary = 0;
  let shipments = 0;
  let unsourcedUnits = 0;
  for (const order of orders) {
    const usedSources = new Set<number>();
    for (const line of order.lines) {
      let allocated = 0;
      for (const part of allocations.get(line.key) ?? []) {
        if (part.quantity <= 0) continue;
        allocated += part.quantity;
        usedSources.add(part.sourceIndex);
        const unitCost = line.options.find((o) => o.sourceIndex === part.sourceIndex)?.unitCost ?? 0;
        model += unitCost * part.quantity;
        primary += unitCost * part.quantity;
      }
      unsourcedUnits += line.line.quantity - allocated;
    }
    for (const sourceIndex of usedSources) {
      const shipment = order.shipments.get(sourceIndex);
      if (shipment === undefined || shipment.preUsed) continue;
      shipments += 1;
      model += shipment.cost;
      primary += shipment.primaryCost;
    }
  }
  model += unsourcedUnits * pass.penaltyPerUnit;
  return { model, primary, shipments, unsourcedUnits };
}
