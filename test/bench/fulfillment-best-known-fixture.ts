/** The best-known fixture of the fulfillment bench: its records, how they merge, where they live. */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import type { FulfillmentPlan } from '../../shared/domain/fulfillment/fulfillment-plan';
import type { PassAllocations } from '../../shared/domain/fulfillment/greedy-plan';
import type { PlanningProblem } from '../../shared/domain/fulfillment/planning-problem';
import { lineKeyOffsets } from '../../shared/domain/fulfillment/sourcing-pass';
import { repoRoot } from './support';

/** The fixture (BEST_KNOWN_FILE writes elsewhere, e.g. from a copy of dist running beside a build). */
export const bestKnownFile =
  process.env.BEST_KNOWN_FILE ??
  path.join(repoRoot, 'test', 'bench', 'fixtures', 'fulfillment-best-known.json');

/** One instance's best known plan and best proven bound (km over shipments). */
export interface BestKnown {
  seed: number;
  lines: number;
  sources: number;
  /** Units the best plan leaves unsourced: the fewest any plan can (fill comes first). */
  unsourcedUnits: number;
  /** Km over shipments of the best plan known. */
  objective: number;
  /** sha256 (16 hex) of the plan: per line key in order, `source×units` parts sorted by source. */
  planHash: string;
  /** How the best plan was found, when, and after how many seconds of that run. */
  foundBy: string;
  foundOn: string;
  seconds: number;
  /** Proven lower bound of the km of every plan of maximum fill over the whole problem. */
  lowerBound: number;
  boundBy: string;
  boundOn: string;
  /** What the bound holds for. */
  boundHolds: string;
}

export interface BestKnownFixture {
  note: string;
  instances: BestKnown[];
}

export const boundHolds =
  'the whole problem: every source with stock a candidate of every line, no limit per order; plans of maximum fill';

export function readBestKnown(file = bestKnownFile): Map<number, BestKnown> {
  if (!existsSync(file)) return new Map();
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as BestKnownFixture;
  return new Map(fixture.instances.map((b) => [b.seed, b]));
}

/** The better objective (fewer unsourced units first) and the higher bound of two records. */
export function mergeBestKnown(old: BestKnown | undefined, fresh: BestKnown): BestKnown {
  if (old === undefined) return fresh;
  const freshBetter =
    fresh.unsourcedUnits < old.unsourcedUnits ||
    (fresh.unsourcedUnits === old.unsourcedUnits && fresh.objective < old.objective - 1e-6);
  const plan = freshBetter ? fresh : old;
  const bound = fresh.lowerBound > old.lowerBound ? fresh : old;
  return {
    ...plan,
    lowerBound: bound.lowerBound,
    boundBy: bound.boundBy,
    boundOn: bound.boundOn,
    boundHolds: bound.boundHolds,
  };
}

export function writeBestKnown(records: Map<number, BestKnown>, file = bestKnownFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fixture: BestKnownFixture = {
    note:
      'Best known plans of the fulfillment benchmark instances (test/bench/fulfillment-best-known.ts): ' +
      'objective = km over shipments, lowerBound = proven over the whole problem (no candidate pruning).',
    instances: [...records.values()].sort((a, b) => a.seed - b.seed),
  };
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
}

/** sha256 (16 hex) of a plan: per line in batch order, its `sourceIndex×units` parts sorted by source. */
export function planHash(problem: PlanningProblem, allocations: PassAllocations): string {
  const offsets = lineKeyOffsets(problem);
  const text = problem.orders
    .flatMap((o, i) => o.lines.map((_, j) => offsets[i]! + j))
    .map((key) =>
      (allocations.get(key) ?? [])
        .filter((p) => p.quantity > 0)
        .sort((a, b) => a.sourceIndex - b.sourceIndex)
        .map((p) => `${p.sourceIndex}x${p.quantity}`)
        .join(',')
    )
    .join(';');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A plan's allocations by batch line key and source index. */
export function allocationsOfPlan(problem: PlanningProblem, plan: FulfillmentPlan): PassAllocations {
  const sourceIndex = new Map(problem.sources.map((s, i) => [s.id, i]));
  const offsets = lineKeyOffsets(problem);
  const orderIndex = new Map(problem.orders.map((o, i) => [o.orderId, i]));
  const allocations: PassAllocations = new Map();
  for (const line of plan.planLines) {
    const o = orderIndex.get(line.orderId)!;
    const key = offsets[o]! + problem.orders[o]!.lines.findIndex((l) => l.lineId === line.lineId);
    allocations.set(
      key,
      line.allocations.map((a) => ({ sourceIndex: sourceIndex.get(a.sourceId)!, quantity: a.quantity }))
    );
  }
  return allocations;
}
