import type { SourceUnits } from './greedy-plan';
import { stockKey, type SourcingOrder, type SourcingPass } from './sourcing-pass';

/**
 * One way to fulfil one order: the sources it ships from and what every line takes from them. The
 * pattern (Dantzig–Wolfe) model chooses one pattern per order; only contended stock ties orders
 * together, so its relaxation is as tight as the convex hull of each order's own choices — far
 * tighter than the facility-location relaxation of the per-line model (a set-cover gap of ~9 %).
 */
export interface OrderPattern {
  orderIndex: number;
  /** Model cost: shipments (priority terms included) + unit costs + penalty per unsourced unit. */
  cost: number;
  /** Per line key, what it takes from where. */
  parts: Map<number, SourceUnits[]>;
  /** Units per stock key. */
  usage: Map<string, number>;
  /** Units of the order left unsourced. */
  unsourced: number;
}

/** The cheapest pattern of an order at given stock prices, and a proven lower bound of it. */
export interface PricedOrder {
  best: OrderPattern;
  /** min over every pattern of (cost + Σ price·usage); equals the best's when the search finished. */
  bound: number;
  /** Other improving patterns met on the way (useful columns too). */
  others: OrderPattern[];
}

/**
 * Whether a pass can be planned by patterns: every rule must be decidable order by order once the
 * sources of the order are chosen. Per-line source limits and binding daily line limits are not
 * (they need the per-line model), nor are two lines of one order on the same SKU (they share stock
 * inside the pattern).
 */
export function patternsApply(pass: SourcingPass, capacityCoupled: boolean): boolean {
  if (pass.rules.maxSourcesPerLine !== undefined || capacityCoupled) return false;
  return pass.orders.every(
    (order) => new Set(order.lines.map((l) => l.line.sku)).size === order.lines.length
  );
}

/** Penalty of units no pattern of the order can source (a constant, as in the per-line model). */
export function unavoidablePenalty(pass: SourcingPass, order: SourcingOrder): number {
  const { rules, penaltyPerUnit } = pass;
  const slots = freeSlotsOf(pass, order);
  const allowed = (s: number) => slots > 0 || order.shipments.get(s)?.preUsed === true;
  let units = 0;
  let wholeShort = false;
  for (const line of order.lines) {
    const reachable = line.options.filter((o) => allowed(o.sourceIndex)).reduce((sum, o) => sum + o.cap, 0);
    if (reachable < line.line.quantity) wholeShort = true;
    units += rules.allowPartialLine
      ? line.line.quantity - Math.min(line.line.quantity, reachable)
      : reachable < line.line.quantity
        ? line.line.quantity
        : 0;
  }
  if (!rules.allowPartialOrder && wholeShort)
    return order.lines.reduce((sum, l) => sum + l.line.quantity, 0) * penaltyPerUnit;
  return units * penaltyPerUnit;
}

function freeSlotsOf(pass: SourcingPass, order: SourcingOrder): number {
  const preUsed = [...order.shipments.values()].filter((s) => s.preUsed).length;
  return pass.rules.maxSourcesPerOrder === undefined ? Infinity : pass.rules.maxSourcesPerOrder - preUsed;
}

/** The pattern of a given plan of the order (e.g. the greedy one). */
export function patternOf(
  pass: SourcingPass,
  order: SourcingOrder,
  allocations: ReadonlyMap<number, SourceUnits[]>
): OrderPattern {
  const parts = new Map<number, SourceUnits[]>();
  const usage = new Map<string, number>();
  const used = new Set<number>();
  let cost = 0;
  let unsourced = 0;
  for (const line of order.lines) {
    const taken = (allocations.get(line.key) ?? []).filter((p) => p.quantity > 0);
    parts.set(line.key, taken);
    let units = 0;
    for (const p of taken) {
      units += p.quantity;
      used.add(p.sourceIndex);
      cost += (line.options.find((o) => o.sourceIndex === p.sourceIndex)?.unitCost ?? 0) * p.quantity;
      const key = stockKey(line.line.sku, p.sourceIndex);
      usage.set(key, (usage.get(key) ?? 0) + p.quantity);
    }
    cost += (line.line.quantity - units) * pass.penaltyPerUnit;
    unsourced += line.line.quantity - units;
  }
  for (const s of used) cost += order.shipments.get(s)?.cost ?? 0;
  return { orderIndex: order.orderIndex, cost, parts, usage, unsourced };
}

/**
 * Exact pricing of one order by depth-first search over its candidate sources (cheapest shipment
 * first): with the chosen set S fixed, each line independently takes its units from S by ascending
 * unit price (unit cost + stock price) — exact, since nothing else links the lines. A node (S, the
 * sources still undecided R) is cut when cost(S's shipments) + fill(S ∪ R) cannot beat the best: fill
 * never rises when sources are added. `nodeLimit` bounds the search; the open nodes' bounds then
 * make `bound` (still a valid lower bound). With `remaining`, the order is priced against what other
 * orders left (a repair step; its bound is then only for that order given the others). `fillPrice`
 * (the fill target's dual) is added to the penalty of each unsourced unit in the pricing, not in the
 * pattern's own cost.
 */
export function priceOrder(
  pass: SourcingPass,
  order: SourcingOrder,
  price: (key: string) => number,
  /** Units left per stock key when other orders' choices are fixed (absent: all available). */
  remaining?: (key: string) => number,
  fillPrice = 0,
  nodeLimit = 50_000
): PricedOrder {
  const { rules } = pass;
  const penalty = pass.penaltyPerUnit + fillPrice;
  const slots = freeSlotsOf(pass, order);
  const candidates = [...order.shipments.values()]
    .filter((s) => !s.preUsed && slots > 0)
    .sort((a, b) => a.cost - b.cost || a.sourceIndex - b.sourceIndex);
  // rank[s]: position among candidates; −1 for sources already used (free, always in S).
  const rank = new Map<number, number>();
  for (const s of order.shipments.values()) if (s.preUsed) rank.set(s.sourceIndex, -1);
  candidates.forEach((s, i) => rank.set(s.sourceIndex, i));
  const lines = order.lines.map((line) => ({
    line,
    options: line.options
      .filter((o) => rank.has(o.sourceIndex))
      .map((o) => {
        const key = stockKey(line.line.sku, o.sourceIndex);
        const cap = remaining === undefined ? o.cap : Math.min(o.cap, Math.max(0, remaining(key)));
        return {
          sourceIndex: o.sourceIndex,
          rank: rank.get(o.sourceIndex)!,
          cap,
          key,
          unit: o.unitCost,
          price: o.unitCost + price(key),
        };
      })
      .filter((o) => o.cap > 0)
      .sort((a, b) => a.price - b.price || a.rank - b.rank),
  }));
  const wholeOrder = !rules.allowPartialOrder;
  const orderUnits = order.lines.reduce((sum, l) => sum + l.line.quantity, 0);
  // Hot path (the search calls it twice per node): flat arrays, membership by rank.
  const inSet = new Uint8Array(candidates.length);
  const member = (rank: number) => rank === -1 || inSet[rank] === 1;
  const lineStart = new Int32Array(lines.length + 1);
  let optionCount = 0;
  lines.forEach((l, i) => {
    lineStart[i] = optionCount;
    optionCount += l.options.length;
  });
  lineStart[lines.length] = optionCount;
  const optRank = new Int32Array(optionCount);
  const optCap = new Float64Array(optionCount);
  const optPrice = new Float64Array(optionCount);
  const quantity = new Float64Array(lines.length);
  const hasOption = new Uint8Array(candidates.length);
  lines.forEach((l, i) => {
    quantity[i] = l.line.line.quantity;
    l.options.forEach((o, j) => {
      optRank[lineStart[i]! + j] = o.rank;
      optCap[lineStart[i]! + j] = o.cap;
      optPrice[lineStart[i]! + j] = o.price;
      if (o.rank >= 0) hasOption[o.rank] = 1;
    });
  });
  const partialLine = !wholeOrder && rules.allowPartialLine;

  /** Fill cost of the lines from S ∪ {candidates of rank ≥ from} (priced), or Infinity if whole order fails. */
  const fill = (from: number): number => {
    let total = 0;
    for (let li = 0; li < lines.length; li++) {
      const qty = quantity[li]!;
      let need = qty;
      let cost = 0;
      const end = lineStart[li + 1]!;
      for (let j = lineStart[li]!; j < end && need > 0; j++) {
        const r = optRank[j]!;
        if (!(r === -1 || r >= from || inSet[r] === 1)) continue;
        const unit = optPrice[j]!;
        if (partialLine && unit >= penalty) break;
        const take = need < optCap[j]! ? need : optCap[j]!;
        cost += take * unit;
        need -= take;
      }
      if (wholeOrder) {
        if (need > 0) return Infinity;
        total += cost;
      } else if (rules.allowPartialLine) total += cost + need * penalty;
      else total += need > 0 ? qty * penalty : Math.min(cost, qty * penalty);
    }
    return total;
  };

  const build = (): OrderPattern => {
    const parts = new Map<number, SourceUnits[]>();
    const usage = new Map<string, number>();
    let cost = 0;
    const used = new Set<number>();
    let complete = true;
    for (const { line, options } of lines) {
      let need = line.line.quantity;
      const taken: SourceUnits[] = [];
      let priced = 0;
      for (const o of options) {
        if (need === 0) break;
        if (!member(o.rank)) continue;
        if (!wholeOrder && rules.allowPartialLine && o.price >= penalty) break;
        const take = Math.min(need, o.cap);
        taken.push({ sourceIndex: o.sourceIndex, quantity: take });
        priced += take * o.price;
        need -= take;
      }
      const refuse =
        !wholeOrder && !rules.allowPartialLine && (need > 0 || priced > line.line.quantity * penalty);
      if (need > 0) complete = false;
      parts.set(line.key, refuse ? [] : taken);
    }
    if (wholeOrder && !complete) for (const key of parts.keys()) parts.set(key, []);
    let unsourced = 0;
    for (const { line, options } of lines) {
      let units = 0;
      for (const p of parts.get(line.key)!) {
        const o = options.find((x) => x.sourceIndex === p.sourceIndex)!;
        units += p.quantity;
        cost += o.unit * p.quantity;
        used.add(p.sourceIndex);
        usage.set(o.key, (usage.get(o.key) ?? 0) + p.quantity);
      }
      cost += (line.line.quantity - units) * pass.penaltyPerUnit;
      unsourced += line.line.quantity - units;
    }
    for (const s of used) cost += order.shipments.get(s)!.cost;
    return { orderIndex: order.orderIndex, cost, parts, usage, unsourced };
  };
  const pricedCost = (p: OrderPattern) => {
    let total = p.cost + fillPrice * p.unsourced;
    for (const [key, units] of p.usage) total += price(key) * units;
    return total;
  };

  // Start: the sources already used only (nothing new shipped), or nothing for a whole order.
  let best = build();
  let bestValue = pricedCost(best);
  if (wholeOrder) {
    const nothing: OrderPattern = {
      orderIndex: order.orderIndex,
      cost: orderUnits * pass.penaltyPerUnit,
      parts: new Map(order.lines.map((l) => [l.key, []])),
      usage: new Map(),
      unsourced: orderUnits,
    };
    if (orderUnits * penalty < bestValue) {
      best = nothing;
      bestValue = orderUnits * penalty;
    }
  }
  const others: OrderPattern[] = [];
  let openBound = Infinity;
  let nodes = 0;
  const eps = 1e-9;

  // With partial lines and orders allowed, what a source saves is submodular in the set (each line
  // takes its cheapest units: a weighted uniform-matroid value), so a source that saves no more than
  // its shipment costs given S never pays in a superset of S, and one that saves more even given all
  // the others belongs to every optimal superset: both branches are cut.
  const submodular = !wholeOrder && rules.allowPartialLine;
  // withAll = fill(S ∪ R) and without = fill(S) for the node's S and undecided R = ranks ≥ i; each
  // child's values are the parent's or computed once here (two fill calls per node).
  const search = (i: number, shipping: number, count: number, withAll: number, without: number) => {
    const lower = shipping + withAll;
    if (lower >= bestValue - eps || i === candidates.length) return;
    if (++nodes > nodeLimit) {
      openBound = Math.min(openBound, lower);
      return;
    }
    const candidate = candidates[i]!;
    if (count < slots && hasOption[i] === 1) {
      inSet[i] = 1;
      const withIt = fill(Infinity);
      const value = shipping + candidate.cost + withIt;
      if (!submodular || without - withIt > candidate.cost + eps) {
        if (value < bestValue - eps) {
          const pattern = build();
          const actual = pricedCost(pattern);
          if (actual < bestValue - eps) {
            others.push(best);
            best = pattern;
            bestValue = actual;
          }
        }
        // S + i ∪ ranks > i is the same set as S ∪ ranks ≥ i.
        search(i + 1, shipping + candidate.cost, count + 1, withAll, withIt);
      }
      inSet[i] = 0;
      const excluded = fill(i + 1);
      const includeOnly = submodular && slots === Infinity && excluded - withAll > candidate.cost + eps;
      if (!includeOnly) search(i + 1, shipping, count, excluded, without);
    } else {
      search(i + 1, shipping, count, hasOption[i] === 1 ? fill(i + 1) : withAll, without);
    }
  };
  search(0, 0, 0, fill(0), fill(Infinity));
  return { best, bound: Math.min(bestValue, openBound), others: others.slice(-3) };
}

/**
 * Two orders released together and priced again, exactly, one after the other in what is left
 * (`remaining`), both ways round: the second is priced with the first's choice taken. `take(p, ±1)`
 * books a pattern's units in and out of `remaining`, and leaves them as found. Answers both
 * candidates, each as [pattern of a, pattern of b], a's first.
 */
export function pricePairBothWays(
  pass: SourcingPass,
  a: SourcingOrder,
  b: SourcingOrder,
  remaining: (key: string) => number,
  take: (pattern: OrderPattern, sign: number) => void
): [OrderPattern, OrderPattern][] {
  const noPrice = () => 0;
  const candidates: [OrderPattern, OrderPattern][] = [];
  for (const [first, second] of [
    [a, b],
    [b, a],
  ] as const) {
    const p1 = priceOrder(pass, first, noPrice, remaining).best;
    take(p1, 1);
    const p2 = priceOrder(pass, second, noPrice, remaining).best;
    take(p1, -1);
    candidates.push(first === a ? [p1, p2] : [p2, p1]);
  }
  return candidates;
}
