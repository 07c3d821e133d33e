import type { Coupling } from '../../domain/fulfillment/decompose-groups';
import type { PassAllocations } from '../../domain/fulfillment/greedy-plan';
import { raiseFill } from '../../domain/fulfillment/max-fill';
import {
  patternOf,
  priceOrder,
  pricePairBothWays,
  unavoidablePenalty,
  type OrderPattern,
} from '../../domain/fulfillment/order-patterns';
import { buildPatternMaster, canOpenLp, LivePatternMaster } from '../../domain/fulfillment/pattern-master';
import { stockKey, type SourcingOrder, type SourcingPass } from '../../domain/fulfillment/sourcing-pass';
import type { Clock } from '../../ports/clock';
import type { MipSolver } from '../../ports/mip-solver';

export interface PatternResult {
  allocations: PassAllocations;
  /** Proven lower bound of the group's model cost, penalties of unavoidable units included. */
  lowerBound: number;
  primal: number;
  dual: number;
  optimal: boolean;
  masterRows: number;
  masterColumns: number;
}

/**
 * A group solved by patterns (column generation): each order's best pattern alone is priced exactly
 * (order-patterns.ts); when those best patterns together overdraw no contended stock they are the
 * optimum. Otherwise the stock keys overdrawn get rows in a master LP over the orders that could use
 * them; its duals price stock, each order is priced again, and improving patterns are added until none
 * is left. Every pricing round gives a Lagrangian lower bound
 *   Σ_o min_p (cost(p) + Σ_k π_k·usage(p,k)) − Σ_k π_k·available(k)   (π ≥ 0),
 * valid whatever the columns; the plan is the master solved with binary λ over the patterns found
 * (the start's patterns included, so the start is always a feasible plan). The fill target is one
 * more master row, Σ unsourced(p)·λ[p] ≤ maxUnsourced; its dual μ adds to the penalty in pricing
 * (and μ·maxUnsourced leaves the bound). A choice that misses the target is never kept.
 */
export async function solveByPatterns(
  deps: { solver: MipSolver; clock: Clock },
  pass: SourcingPass,
  group: readonly SourcingOrder[],
  coupling: Coupling,
  start: PassAllocations,
  limits: {
    deadlineMs: number;
    relativeGap: number;
    maxUnsourced: number;
    /** The penalty every plan pays when the fill target is proven; else that of unavoidable units. */
    constantPenalty?: number;
  }
): Promise<PatternResult> {
  const contended = coupling.stockKeys;
  const { maxUnsourced } = limits;
  const fixed = limits.constantPenalty ?? group.reduce((sum, o) => sum + unavoidablePenalty(pass, o), 0);
  const zero = () => 0;
  const own = new Map(group.map((o) => [o.orderIndex, priceOrder(pass, o, zero)]));
  const greedyPatterns = new Map(group.map((o) => [o.orderIndex, patternOf(pass, o, start)]));
  const greedyCost = [...greedyPatterns.values()].reduce((sum, p) => sum + p.cost, 0);
  const ownBound = [...own.values()].reduce((sum, p) => sum + p.bound, 0);
  let lowerBound = ownBound;
  let best = new Map(greedyPatterns);
  let bestCost = greedyCost;
  const masterSize = { rows: 0, columns: 0 };

  const columns = new Map<number, OrderPattern[]>();
  const seen = new Set<string>();
  const addColumn = (p: OrderPattern): boolean => {
    const signature = `${p.orderIndex}|${[...p.parts].map(([k, parts]) => `${k}:${parts.map((x) => `${x.sourceIndex}x${x.quantity}`).join(',')}`).join(';')}`;
    if (seen.has(signature)) return false;
    seen.add(signature);
    const list = columns.get(p.orderIndex);
    if (list === undefined) columns.set(p.orderIndex, [p]);
    else list.push(p);
    return true;
  };
  for (const o of group) {
    addColumn(greedyPatterns.get(o.orderIndex)!);
    const priced = own.get(o.orderIndex)!;
    addColumn(priced.best);
    for (const p of priced.others) addColumn(p);
  }

  const overdrawn = (choice: ReadonlyMap<number, OrderPattern>): string[] => {
    const used = new Map<string, number>();
    for (const p of choice.values())
      for (const [key, units] of p.usage) if (contended.has(key)) used.set(key, (used.get(key) ?? 0) + units);
    return [...used].filter(([key, units]) => units > (pass.available.get(key) ?? 0)).map(([key]) => key);
  };
  const unsourcedOf = (choice: ReadonlyMap<number, OrderPattern>) =>
    [...choice.values()].reduce((sum, p) => sum + p.unsourced, 0);
  const consider = (choice: Map<number, OrderPattern>) => {
    const cost = [...choice.values()].reduce((sum, p) => sum + p.cost, 0);
    if (cost < bestCost - 1e-9 && overdrawn(choice).length === 0 && unsourcedOf(choice) <= maxUnsourced) {
      best = choice;
      bestCost = cost;
    }
  };
  const closeEnough = () =>
    bestCost - lowerBound <=
    limits.relativeGap * Math.max(0, bestCost - fixed) + 1e-6 + 1e-9 * Math.abs(bestCost);
  const secondsLeft = () => (limits.deadlineMs - deps.clock.now().getTime()) / 1000;

  const ownChoice = new Map([...own].map(([i, p]) => [i, p.best]));
  consider(ownChoice);
  let lastRelaxation: { columns: OrderPattern[]; values: number[]; point: PricePoint } | undefined;
  /**
   * Every order priced exactly at π (stock prices and the fill target's), and the Lagrangian bound
   *   Σ_o min_p (cost(p) + π·usage(p) + μ·unsourced(p)) − π·available − μ·maxUnsourced,
   * valid for any π, μ ≥ 0 whatever the columns found.
   */
  const priceAtPoint = (point: PricePoint) => {
    const price = (key: string) => point.prices.get(key) ?? 0;
    let bound = -point.fillPrice * maxUnsourced;
    for (const [key, p] of point.prices) bound -= p * (pass.available.get(key) ?? 0);
    const byOrder = new Map<number, ReturnType<typeof priceOrder>>();
    for (const order of group) {
      // Orders that use no priced stock price as alone.
      const touched =
        point.fillPrice > 0 ||
        order.lines.some((l) =>
          l.options.some((o) => (point.prices.get(stockKey(l.line.sku, o.sourceIndex)) ?? 0) > 0)
        );
      const priced = touched
        ? priceOrder(pass, order, price, undefined, point.fillPrice)
        : own.get(order.orderIndex)!;
      bound += priced.bound;
      byOrder.set(order.orderIndex, priced);
    }
    return { bound, byOrder };
  };
  if (overdrawn(ownChoice).length > 0 || unsourcedOf(ownChoice) > maxUnsourced) {
    // Column generation on the relaxation (a stock row only where the patterns found could overdraw).
    // The LP lives in HiGHS between rounds when the solver can keep one (columns appended, simplex
    // from the last basis) and the group is not large; otherwise, or after a failure, it is LP text
    // solved from scratch.
    let live: LivePatternMaster | undefined;
    if (canOpenLp(deps.solver) && group.length <= liveLpMaxOrders) {
      const session = await deps.solver.openLp();
      if (session !== undefined)
        live = new LivePatternMaster(session, contended, pass.available, maxUnsourced);
    }
    // A round that cannot finish in the time left is not started: its LP would stop unsolved, and the
    // rounding below needs the time (rounds of a large group take seconds).
    let lastRound = 0;
    try {
      while (secondsLeft() > 1.5 * lastRound && !closeEnough()) {
        const roundStarted = secondsLeft();
        let master: RoundMaster | undefined;
        let lp: { values?: number[]; rowDuals?: number[]; objective?: number; outcome: string } | undefined;
        if (live !== undefined) {
          try {
            live.sync(columns);
            lp = live.solve(secondsLeft());
            master = {
              columns: live.columns,
              orderRows: live.orderRows,
              orderRowIndexes: live.orderRowIndexes,
              keyRows: live.keyRows,
              keyRowIndexes: live.keyRowIndexes,
              fillRow: live.fillRow,
              rows: live.rowCount,
            };
          } catch {
            lp = undefined;
          }
          if (lp?.outcome !== 'optimal') {
            live.dispose();
            live = undefined;
            lp = undefined;
            // Out of time (not a failure): no second try from scratch.
            if (secondsLeft() <= 0) break;
          }
        }
        if (lp === undefined) {
          const text = buildPatternMaster(columns, contended, pass.available, false, maxUnsourced);
          master = {
            columns: text.columns,
            orderRows: text.orderRows,
            orderRowIndexes: text.orderRows.map((_, i) => i),
            keyRows: text.keyRows,
            keyRowIndexes: text.keyRows.map((_, i) => text.orderRows.length + i),
            fillRow: text.fillRow,
            rows: text.rowNames.length,
          };
          lp = await deps.solver.solve(
            { lpText: text.lpText, columnNames: text.columnNames, rowNames: text.rowNames },
            { timeLimitSeconds: secondsLeft(), relativeGap: 0 }
          );
        }
        if (master === undefined) break;
        masterSize.rows = Math.max(masterSize.rows, master.rows);
        masterSize.columns = Math.max(masterSize.columns, master.columns.length);
        if (lp.values === undefined || lp.rowDuals === undefined || lp.outcome !== 'optimal') break;
        const duals = lp.rowDuals;
        const lpPoint: PricePoint = {
          prices: new Map(
            master.keyRows.map((key, i) => [key, Math.max(0, -(duals[master.keyRowIndexes[i]!] ?? 0))])
          ),
          fillPrice: master.fillRow === undefined ? 0 : Math.max(0, -(duals[master.fillRow] ?? 0)),
        };
        lastRelaxation = { columns: [...master.columns], values: lp.values, point: lpPoint };
        const lpPrice = (key: string) => lpPoint.prices.get(key) ?? 0;
        const priced = priceAtPoint(lpPoint);
        const bound = priced.bound;
        lowerBound = Math.max(lowerBound, bound);
        let added = 0;
        master.orderRows.forEach((orderIndex, i) => {
          const found = priced.byOrder.get(orderIndex)!;
          const dual = duals[master.orderRowIndexes[i]!] ?? 0;
          const reduced = (pattern: OrderPattern) =>
            pricedValue(pattern, lpPrice) + lpPoint.fillPrice * pattern.unsourced - dual;
          const tolerance = -1e-7 * Math.max(1, Math.abs(dual));
          for (const p of [found.best, ...found.others]) if (reduced(p) < tolerance && addColumn(p)) added++;
        });
        // An integral relaxation is a plan.
        if (lp.values.every((v) => v < 1e-6 || v > 1 - 1e-6)) {
          const choice = new Map<number, OrderPattern>();
          lp.values.forEach((v, i) => {
            if (v > 0.5) choice.set(master.columns[i]!.orderIndex, master.columns[i]!);
          });
          consider(choice);
        }
        lastRound = roundStarted - secondsLeft();
        // Solved relaxation: no column can lower it any more (the bound reached it).
        if (added === 0 || lowerBound >= (lp.objective ?? Infinity) - 1e-9 * Math.abs(lowerBound) - 1e-6)
          break;
      }
    } finally {
      live?.dispose();
    }
    if (!closeEnough() && lastRelaxation !== undefined) {
      // Round the relaxation: orders take their heaviest pattern while it fits, else their best
      // pattern in what is left; then each order in turn is re-priced against the others' choices.
      const weight = new Map<OrderPattern, number>();
      lastRelaxation.columns.forEach((p, i) => weight.set(p, lastRelaxation!.values[i] ?? 0));
      const heaviest = new Map<number, { pattern: OrderPattern; weight: number }>();
      for (const [p, w] of weight) {
        const current = heaviest.get(p.orderIndex);
        if (current === undefined || w > current.weight)
          heaviest.set(p.orderIndex, { pattern: p, weight: w });
      }
      const left = new Map<string, number>();
      for (const key of contended) left.set(key, pass.available.get(key) ?? 0);
      const remaining = (key: string) => left.get(key) ?? Infinity;
      const take = (p: OrderPattern, sign: number) => {
        for (const [key, units] of p.usage) if (left.has(key)) left.set(key, left.get(key)! - sign * units);
      };
      const fits = (p: OrderPattern) => [...p.usage].every(([key, units]) => units <= remaining(key));
      // An order whose heaviest pattern no longer fits takes its best in what is left at the LP's
      // stock prices, so that it leaves alone what the orders after it need more.
      const lpPrices = lastRelaxation.point.prices;
      const lpPrice = (key: string) => lpPrices.get(key) ?? 0;
      const choice = new Map<number, OrderPattern>();
      const byWeight = [...group].sort(
        (a, b) => (heaviest.get(b.orderIndex)?.weight ?? 1) - (heaviest.get(a.orderIndex)?.weight ?? 1)
      );
      for (const order of byWeight) {
        const preferred = heaviest.get(order.orderIndex)?.pattern ?? own.get(order.orderIndex)!.best;
        const pattern = fits(preferred) ? preferred : priceOrder(pass, order, lpPrice, remaining).best;
        choice.set(order.orderIndex, pattern);
        take(pattern, 1);
      }
      // Rounding order by order can hand scarce stock to an order that had other sources: augmenting
      // paths give every unit a source with stock could take back (the steps below never lower fill).
      if (unsourcedOf(choice) > maxUnsourced) {
        const plan: PassAllocations = new Map();
        for (const p of choice.values()) for (const [key, parts] of p.parts) plan.set(key, parts);
        const raised = raiseFill(pass, group, plan, coupling.capacitySources);
        for (const order of group) {
          const before = choice.get(order.orderIndex)!;
          take(before, -1);
          const after = patternOf(pass, order, raised.allocations);
          choice.set(order.orderIndex, after);
          take(after, 1);
        }
      }
      for (let sweep = 0; sweep < 5 && secondsLeft() > 0; sweep++) {
        let improved = false;
        for (const order of group) {
          const current = choice.get(order.orderIndex)!;
          take(current, -1);
          const better = priceOrder(pass, order, zero, remaining).best;
          if (better.cost < current.cost - 1e-9 && better.unsourced <= current.unsourced) {
            choice.set(order.orderIndex, better);
            addColumn(better);
            improved = true;
          }
          take(choice.get(order.orderIndex)!, 1);
        }
        if (!improved) break;
      }
      // Pairs of orders that compete first: an order not at its best alone, with each order whose
      // choice holds contended stock that best pattern uses (every pair would be O(orders²) pricings
      // on popular SKUs); then, while time is left, every pair that shares contended stock. A pair is
      // kept when it costs less. Two orders both at their best alone cannot improve together.
      const holders = new Map<string, Set<number>>();
      const hold = (p: OrderPattern, sign: number) => {
        for (const key of p.usage.keys()) {
          if (!contended.has(key)) continue;
          let set = holders.get(key);
          if (set === undefined) holders.set(key, (set = new Set()));
          if (sign > 0) set.add(p.orderIndex);
          else set.delete(p.orderIndex);
        }
      };
      for (const p of choice.values()) hold(p, 1);
      const byIndex = new Map(group.map((o) => [o.orderIndex, o]));
      /** Both released, re-priced one after the other (both ways round); true when the pair improved. */
      const tryPair = (a: SourcingOrder, b: SourcingOrder): boolean => {
        const pa = choice.get(a.orderIndex)!;
        const pb = choice.get(b.orderIndex)!;
        const before = pa.cost + pb.cost;
        take(pa, -1);
        take(pb, -1);
        let bestPair: [OrderPattern, OrderPattern] = [pa, pb];
        let bestPairCost = before;
        for (const [p1, p2] of pricePairBothWays(pass, a, b, remaining, take)) {
          if (
            p1.cost + p2.cost < bestPairCost - 1e-9 &&
            p1.unsourced + p2.unsourced <= pa.unsourced + pb.unsourced
          ) {
            bestPairCost = p1.cost + p2.cost;
            bestPair = [p1, p2];
          }
        }
        choice.set(a.orderIndex, bestPair[0]);
        choice.set(b.orderIndex, bestPair[1]);
        take(bestPair[0], 1);
        take(bestPair[1], 1);
        if (bestPairCost >= before - 1e-9) return false;
        hold(pa, -1);
        hold(pb, -1);
        hold(bestPair[0], 1);
        hold(bestPair[1], 1);
        return true;
      };
      const pairKey = (a: SourcingOrder, b: SourcingOrder) =>
        `${Math.min(a.orderIndex, b.orderIndex)}/${Math.max(a.orderIndex, b.orderIndex)}`;
      for (let sweep = 0; sweep < 3 && secondsLeft() > 0; sweep++) {
        let improved = false;
        const tried = new Set<string>();
        for (const a of group) {
          if (secondsLeft() <= 0) break;
          const alone = own.get(a.orderIndex)!.best;
          if (choice.get(a.orderIndex)!.cost <= alone.cost + 1e-9) continue;
          const partners = new Set<number>();
          for (const key of alone.usage.keys())
            for (const other of holders.get(key) ?? []) if (other !== a.orderIndex) partners.add(other);
          for (const otherIndex of partners) {
            const b = byIndex.get(otherIndex)!;
            if (tried.has(pairKey(a, b))) continue;
            tried.add(pairKey(a, b));
            if (tryPair(a, b)) improved = true;
          }
        }
        if (!improved) break;
      }
      // With time left: every pair of orders that share contended candidate stock.
      const sharers = new Map<string, SourcingOrder[]>();
      for (const order of group) {
        const mine = new Set<string>();
        for (const l of order.lines)
          for (const o of l.options) {
            const key = stockKey(l.line.sku, o.sourceIndex);
            if (contended.has(key)) mine.add(key);
          }
        for (const key of mine) {
          const list = sharers.get(key);
          if (list === undefined) sharers.set(key, [order]);
          else list.push(order);
        }
      }
      for (let sweep = 0; sweep < 3 && secondsLeft() > 0; sweep++) {
        let improved = false;
        const tried = new Set<string>();
        for (const list of sharers.values())
          for (let i = 0; i < list.length && secondsLeft() > 0; i++)
            for (let j = i + 1; j < list.length; j++) {
              const pair = pairKey(list[i]!, list[j]!);
              if (tried.has(pair)) continue;
              tried.add(pair);
              // Both at their best alone: nothing to gain together.
              const both = [list[i]!, list[j]!].every(
                (o) => choice.get(o.orderIndex)!.cost <= own.get(o.orderIndex)!.best.cost + 1e-9
              );
              if (!both && tryPair(list[i]!, list[j]!)) improved = true;
            }
        if (!improved) break;
      }
      for (const p of choice.values()) addColumn(p);
      consider(choice);
    }
    if (!closeEnough() && secondsLeft() > 0) {
      // The plan: binary λ over the patterns found, from the greedy plan. Every stock row a choice of
      // these patterns could overdraw is in the model, so its solutions are feasible.
      const master = buildPatternMaster(columns, contended, pass.available, true, maxUnsourced);
      const start = master.columns.map((p) => (best.get(p.orderIndex) === p ? 1 : 0));
      const mip = await deps.solver.solve(
        { lpText: master.lpText, columnNames: master.columnNames, start },
        { timeLimitSeconds: secondsLeft(), relativeGap: limits.relativeGap }
      );
      if (mip.values !== undefined) {
        const choice = new Map<number, OrderPattern>();
        mip.values.forEach((v, i) => {
          if (v > 0.5) choice.set(master.columns[i]!.orderIndex, master.columns[i]!);
        });
        consider(choice);
      }
    }
  }
  const allocations: PassAllocations = new Map();
  for (const p of best.values()) for (const [key, parts] of p.parts) allocations.set(key, parts);
  const primal = bestCost - fixed;
  return {
    allocations,
    lowerBound,
    primal,
    dual: Math.min(primal, Math.max(0, lowerBound - fixed)),
    optimal: closeEnough(),
    masterRows: masterSize.rows,
    masterColumns: masterSize.columns,
  };
}

/**
 * Largest group whose pattern LP is kept alive between rounds. Measured on the benchmark: ~150 orders
 * converge within 2 s live (later rounds 10–30 ms against 50–120 ms from text), while at ~1,600 orders
 * (thousands of columns and hundreds of rows per round) hot starts without presolve were slower than
 * solving the LP text from scratch with presolve, and the gaps worse.
 */
const liveLpMaxOrders = 500;

interface PricePoint {
  prices: Map<string, number>;
  fillPrice: number;
}

/** One round's master, whichever way it was built: what each row and column stands for. */
interface RoundMaster {
  columns: readonly OrderPattern[];
  orderRows: readonly number[];
  orderRowIndexes: readonly number[];
  keyRows: readonly string[];
  keyRowIndexes: readonly number[];
  fillRow: number | undefined;
  rows: number;
}

function pricedValue(pattern: OrderPattern, price: (key: string) => number): number {
  let total = pattern.cost;
  for (const [key, units] of pattern.usage) total += price(key) * units;
  return total;
}
