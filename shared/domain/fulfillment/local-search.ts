import type { PassAllocations } from './greedy-plan';
import { patternOf, priceOrder, pricePairBothWays, type OrderPattern } from './order-patterns';
import type { SourcingOrder, SourcingPass } from './sourcing-pass';

export interface LocalSearchResult {
  allocations: PassAllocations;
  /** Moves kept (one order or a pair of orders re-planned). */
  moves: number;
  /** Shipment and unit costs (priority terms included, penalties not) saved over the input plan. */
  saved: number;
  /** Units sourced beyond the input plan's. */
  unitsGained: number;
}

/**
 * Improves a feasible plan one or two orders at a time: an order is released and planned again, exactly
 * (priceOrder), in the stock the other orders leave; a pair of orders that compete for stock is
 * released together and planned one after the other, both ways round. A move is kept only when it
 * sources more units, or as many at a lower cost — so the plan never gets worse, never sources fewer
 * units, and never takes more stock than is available. `pass` may offer more candidates than the plan
 * was made with (the search then reaches sources a pruned model left out). Plain sweeps over the
 * orders in their given order until a sweep finds nothing or `shouldStop` says so, so the result is
 * the same for the same input whenever the search is not stopped early.
 *
 * Only for passes planned by patterns (every rule decidable order by order, see `patternsApply`).
 */
export function improveByLocalSearch(
  pass: SourcingPass,
  orders: readonly SourcingOrder[],
  allocations: ReadonlyMap<number, readonly { sourceIndex: number; quantity: number }[]>,
  shouldStop: () => boolean,
  /** Each order's cheapest pattern with all stock to itself, when already priced over `pass`. */
  aloneByOrder: ReadonlyMap<number, OrderPattern> = new Map(),
  maxRounds = 10
): LocalSearchResult {
  const plan: PassAllocations = new Map();
  for (const order of orders)
    for (const line of order.lines) plan.set(line.key, [...(allocations.get(line.key) ?? [])]);
  const choice = new Map<number, OrderPattern>();
  const used = new Map<string, number>();
  const take = (p: OrderPattern, sign: number) => {
    for (const [key, units] of p.usage) used.set(key, (used.get(key) ?? 0) + sign * units);
  };
  for (const order of orders) {
    const p = patternOf(pass, order, plan);
    choice.set(order.orderIndex, p);
    take(p, 1);
  }
  const remaining = (key: string) => (pass.available.get(key) ?? 0) - (used.get(key) ?? 0);
  const zero = () => 0;
  /** Shipment and unit costs: the pattern's cost without its penalties. */
  const spend = (p: OrderPattern) => p.cost - p.unsourced * pass.penaltyPerUnit;
  /** Fewer units unsourced, or as many for less. */
  const better = (units: number, cost: number, thanUnits: number, thanCost: number) =>
    units < thanUnits || (units === thanUnits && cost < thanCost - 1e-6 * Math.max(1, Math.abs(thanCost)));
  const started = [...choice.values()].reduce(
    (sum, p) => ({ spend: sum.spend + spend(p), unsourced: sum.unsourced + p.unsourced }),
    { spend: 0, unsourced: 0 }
  );
  let moves = 0;

  const replan = (order: SourcingOrder): boolean => {
    const current = choice.get(order.orderIndex)!;
    take(current, -1);
    const found = priceOrder(pass, order, zero, remaining).best;
    const keep = better(found.unsourced, spend(found), current.unsourced, spend(current));
    const kept = keep ? found : current;
    choice.set(order.orderIndex, kept);
    take(kept, 1);
    return keep;
  };
  const replanPair = (a: SourcingOrder, b: SourcingOrder): boolean => {
    const pa = choice.get(a.orderIndex)!;
    const pb = choice.get(b.orderIndex)!;
    take(pa, -1);
    take(pb, -1);
    let bestPair: [OrderPattern, OrderPattern] = [pa, pb];
    let bestUnits = pa.unsourced + pb.unsourced;
    let bestCost = spend(pa) + spend(pb);
    for (const [p1, p2] of pricePairBothWays(pass, a, b, remaining, take)) {
      const units = p1.unsourced + p2.unsourced;
      const cost = spend(p1) + spend(p2);
      if (better(units, cost, bestUnits, bestCost)) {
        bestUnits = units;
        bestCost = cost;
        bestPair = [p1, p2];
      }
    }
    choice.set(a.orderIndex, bestPair[0]);
    choice.set(b.orderIndex, bestPair[1]);
    take(bestPair[0], 1);
    take(bestPair[1], 1);
    return bestPair[0] !== pa || bestPair[1] !== pb;
  };

  // What each order would cost with all stock to itself: an order already there cannot gain.
  const alone = new Map<number, OrderPattern>(aloneByOrder);
  const aloneOf = (order: SourcingOrder) => {
    let p = alone.get(order.orderIndex);
    if (p === undefined) alone.set(order.orderIndex, (p = priceOrder(pass, order, zero).best));
    return p;
  };
  const atBest = (order: SourcingOrder) => {
    const p = choice.get(order.orderIndex)!;
    const own = aloneOf(order);
    return !better(own.unsourced, spend(own), p.unsourced, spend(p));
  };
  const byIndex = new Map(orders.map((o) => [o.orderIndex, o]));

  for (let round = 0; round < maxRounds && !shouldStop(); round++) {
    let improved = false;
    for (const order of orders) {
      if (shouldStop()) break;
      if (replan(order)) {
        moves++;
        improved = true;
      }
    }
    // Pairs: an order short of its plan alone, with each order holding stock that plan needs and
    // that is not left over.
    const holders = new Map<string, number[]>();
    for (const p of choice.values())
      for (const key of p.usage.keys()) {
        const list = holders.get(key);
        if (list === undefined) holders.set(key, [p.orderIndex]);
        else list.push(p.orderIndex);
      }
    const tried = new Set<string>();
    // Orders furthest above their plan alone first: a search cut short by time has tried the likeliest.
    const excess = (o: SourcingOrder) => spend(choice.get(o.orderIndex)!) - spend(aloneOf(o));
    const byExcess = [...orders].sort((x, y) => excess(y) - excess(x) || x.orderIndex - y.orderIndex);
    for (const a of byExcess) {
      if (shouldStop()) break;
      if (atBest(a)) continue;
      const partners = new Set<number>();
      for (const [key, units] of aloneOf(a).usage) {
        if (remaining(key) >= units) continue;
        for (const other of holders.get(key) ?? []) if (other !== a.orderIndex) partners.add(other);
      }
      for (const otherIndex of [...partners].sort((x, y) => x - y)) {
        if (shouldStop()) break;
        const pair = `${Math.min(a.orderIndex, otherIndex)}/${Math.max(a.orderIndex, otherIndex)}`;
        if (tried.has(pair)) continue;
        tried.add(pair);
        if (replanPair(a, byIndex.get(otherIndex)!)) {
          moves++;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }

  const out: PassAllocations = new Map();
  for (const order of orders) {
    const p = choice.get(order.orderIndex)!;
    for (const line of order.lines) out.set(line.key, p.parts.get(line.key) ?? []);
  }
  const ended = [...choice.values()].reduce(
    (sum, p) => ({ spend: sum.spend + spend(p), unsourced: sum.unsourced + p.unsourced }),
    { spend: 0, unsourced: 0 }
  );
  return {
    allocations: out,
    moves,
    saved: started.spend - ended.spend,
    unitsGained: started.unsourced - ended.unsourced,
  };
}
