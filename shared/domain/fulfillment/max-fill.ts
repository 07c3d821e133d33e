import type { PassAllocations, SourceUnits } from './greedy-plan';
import { stockKey, type SourcingLine, type SourcingOrder, type SourcingPass } from './sourcing-pass';

/**
 * Fill comes first: a plan never leaves a unit unsourced that some plan could ship. The penalty per
 * unit (sourcing-pass.ts) only dominates what one order costs; a unit dropped in one order can save
 * shipments in others (order A's only source gives its last unit to order B, which would otherwise
 * ship from elsewhere), so the optimizer first fixes each group's fill target — the most units any
 * plan of the group sources — and then minimizes cost among plans that reach it.
 */

/** Units the group's lines leave unsourced in a plan. */
export function unsourcedUnits(group: readonly SourcingOrder[], allocations: PassAllocations): number {
  let units = 0;
  for (const order of group)
    for (const line of order.lines) {
      const taken = (allocations.get(line.key) ?? []).reduce((sum, p) => sum + Math.max(0, p.quantity), 0);
      units += line.line.quantity - taken;
    }
  return units;
}

/** Whether the fill target is a plain max flow (lines → stock), so `raiseFill` reaches it exactly. */
export function fillIsFlow(pass: SourcingPass, capacityCoupled: boolean): boolean {
  const { rules } = pass;
  return (
    rules.allowPartialLine &&
    rules.allowPartialOrder &&
    rules.maxSourcesPerOrder === undefined &&
    rules.maxSourcesPerLine === undefined &&
    !capacityCoupled
  );
}

export interface RaisedFill {
  allocations: PassAllocations;
  unsourced: number;
  /** The fill is the group's maximum (always so when `fillIsFlow`). */
  exact: boolean;
}

/**
 * Raises a plan's fill by augmenting paths (Ford–Fulkerson on lines → stock keys): a line short of
 * units takes one from a source whose stock another line holds, that line takes one elsewhere, …,
 * until a source with spare stock ends the path. Each path adds one unit and moves at most one unit
 * per line, so the plan stays close to the one given. Only with partial lines and orders allowed (a
 * single unit would otherwise break an all-or-nothing rule); a path that would break a sources-per-
 * order, sources-per-line or binding daily-line limit is undone and that line left as it is.
 */
export function raiseFill(
  pass: SourcingPass,
  group: readonly SourcingOrder[],
  allocations: PassAllocations,
  capacitySources: ReadonlySet<number>
): RaisedFill {
  const { rules } = pass;
  const lines = group.flatMap((o) => o.lines);
  const units = new Map<number, Map<number, number>>();
  const used = new Map<string, number>();
  for (const line of lines) {
    const bySource = new Map<number, number>();
    for (const p of allocations.get(line.key) ?? []) {
      if (p.quantity <= 0) continue;
      bySource.set(p.sourceIndex, (bySource.get(p.sourceIndex) ?? 0) + p.quantity);
      const key = stockKey(line.line.sku, p.sourceIndex);
      used.set(key, (used.get(key) ?? 0) + p.quantity);
    }
    units.set(line.key, bySource);
  }
  const result = (exact: boolean): RaisedFill => {
    const out: PassAllocations = new Map();
    for (const line of lines) {
      const parts: SourceUnits[] = [];
      for (const [sourceIndex, quantity] of units.get(line.key)!)
        if (quantity > 0) parts.push({ sourceIndex, quantity });
      out.set(line.key, parts);
    }
    return { allocations: out, unsourced: unsourcedUnits(group, out), exact };
  };
  if (!rules.allowPartialLine || !rules.allowPartialOrder) return result(false);

  const users = new Map<string, SourcingLine[]>();
  for (const line of lines)
    for (const o of line.options) {
      const key = stockKey(line.line.sku, o.sourceIndex);
      const list = users.get(key);
      if (list === undefined) users.set(key, [line]);
      else list.push(line);
    }
  const held = (line: SourcingLine, sourceIndex: number) => units.get(line.key)!.get(sourceIndex) ?? 0;
  const move = (line: SourcingLine, sourceIndex: number, delta: number) => {
    units.get(line.key)!.set(sourceIndex, held(line, sourceIndex) + delta);
    const key = stockKey(line.line.sku, sourceIndex);
    used.set(key, (used.get(key) ?? 0) + delta);
  };
  const orderOf = new Map(group.map((o) => [o.orderIndex, o]));
  const withinRules = (touched: readonly SourcingLine[]): boolean => {
    for (const line of touched) {
      const sources = [...units.get(line.key)!].filter(([, q]) => q > 0).map(([s]) => s);
      if (rules.maxSourcesPerLine !== undefined && sources.length > rules.maxSourcesPerLine) return false;
      if (rules.maxSourcesPerOrder !== undefined) {
        const order = orderOf.get(line.orderIndex)!;
        const ships = new Set<number>();
        for (const s of order.shipments.values()) if (s.preUsed) ships.add(s.sourceIndex);
        for (const l of order.lines) for (const [s, q] of units.get(l.key)!) if (q > 0) ships.add(s);
        if (ships.size > rules.maxSourcesPerOrder) return false;
      }
      for (const s of sources) {
        if (!capacitySources.has(s)) continue;
        const linesAt = lines.filter((l) => held(l, s) > 0).length;
        if (linesAt > (pass.capacity[s] ?? Infinity)) return false;
      }
    }
    return true;
  };

  for (const start of lines) {
    for (;;) {
      const have = [...units.get(start.key)!.values()].reduce((a, b) => a + b, 0);
      if (have >= start.line.quantity) break;
      // Breadth-first search for a shortest augmenting path from `start`.
      const reachedBy = new Map<string, { line: SourcingLine; sourceIndex: number }>();
      const cameFrom = new Map<number, string>();
      const seen = new Set<number>([start.key]);
      let frontier: SourcingLine[] = [start];
      let end: string | undefined;
      search: while (frontier.length > 0) {
        const next: SourcingLine[] = [];
        for (const line of frontier)
          for (const o of line.options) {
            const key = stockKey(line.line.sku, o.sourceIndex);
            if (reachedBy.has(key) || held(line, o.sourceIndex) >= o.cap) continue;
            reachedBy.set(key, { line, sourceIndex: o.sourceIndex });
            if ((pass.available.get(key) ?? 0) - (used.get(key) ?? 0) > 0) {
              end = key;
              break search;
            }
            for (const other of users.get(key) ?? []) {
              if (seen.has(other.key) || held(other, o.sourceIndex) <= 0) continue;
              seen.add(other.key);
              cameFrom.set(other.key, key);
              next.push(other);
            }
          }
        frontier = next;
      }
      if (end === undefined) break;
      const steps: { line: SourcingLine; take: number; give?: number }[] = [];
      for (let key = end; ;) {
        const { line, sourceIndex } = reachedBy.get(key)!;
        const back = cameFrom.get(line.key);
        const give = back === undefined ? undefined : reachedBy.get(back)!.sourceIndex;
        steps.push({ line, take: sourceIndex, ...(give === undefined ? {} : { give }) });
        if (back === undefined) break;
        key = back;
      }
      for (const s of steps) {
        move(s.line, s.take, 1);
        if (s.give !== undefined) move(s.line, s.give, -1);
      }
      if (!withinRules(steps.map((s) => s.line))) {
        for (const s of steps) {
          move(s.line, s.take, -1);
          if (s.give !== undefined) move(s.line, s.give, 1);
        }
        break;
      }
    }
  }
  return result(fillIsFlow(pass, capacitySources.size > 0));
}
