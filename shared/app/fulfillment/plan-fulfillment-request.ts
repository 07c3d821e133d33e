import { NotFoundError, ValidationError } from '../../domain/errors';
import type {
  FulfillmentPlan,
  PlanAllocation,
  PlanLine,
  PlanReason,
} from '../../domain/fulfillment/fulfillment-plan';
import type { PlanningProblem, StockLevel, SourcingSource } from '../../domain/fulfillment/planning-problem';
import type { FulfillmentStrategy } from '../../domain/fulfillment/strategy';
import type { GeoPoint, Geocoder, Source } from '../../domain/fulfillment/source';
import type { Clock } from '../../ports/clock';
import type { StrategyRepository } from '../../ports/fulfillment-strategies';
import type { MipSolver } from '../../ports/mip-solver';
import type { OrderRepository } from '../../ports/orders';
import type { ProductRepository } from '../../ports/products';
import type { SourceListRepository } from '../../ports/source-lists';
import type { SourceRepository } from '../../ports/sources';
import type { SourcingStock } from '../../ports/sourcing-stock';
import { strategyForPlanning } from './fulfillment-strategies';
import { planBatch } from './plan-fulfillment';
import { sourceListNotFound } from './source-lists';
import type { PlanRequestValidators } from '../../ports/validators';
import type { AddressWithPoint, PlanRequest } from '../../ports/fulfillment-requests';

/** Where sources come from for a strategy: its source list (in list order), else every source. */
export interface SourceCatalog {
  sources: SourceRepository;
  sourceLists: SourceListRepository;
}

export interface PlanRequestDeps extends SourceCatalog {
  validators: PlanRequestValidators;
  strategies: StrategyRepository;
  products: ProductRepository;
  stock: SourcingStock;
  solver: MipSolver;
  clock: Clock;
  geocode: Geocoder;
  /** Wall-clock budget of one plan (OPENIOM_PLAN_TIME_LIMIT_SECONDS). */
  timeLimitSeconds: number;
}

/** Which stock a plan was made against. */
export type StockBasis = 'inventory' | 'request' | 'unlimited';

export type PlanResponseLine = Omit<PlanLine, 'orderId' | 'allocations'> & {
  allocations: (PlanAllocation & { strategyId?: string })[];
};

/** The answer of `POST /api/v1/fulfillment/plan` (docs/api.md, plus what helps a client judge it). */
export interface PlanResponse {
  strategyId: string;
  /** Set when the alternate strategy planned what the strategy left not sourced. */
  alternateStrategyId?: string;
  objectiveType: FulfillmentPlan['objectiveType'];
  simulation: boolean;
  stockBasis: StockBasis;
  planLines: PlanResponseLine[];
  objective: number;
  shipments: number;
  unsourcedUnits: number;
  /** Proven relative gap of the solver (0 = proven optimal). */
  gap: number;
  solver: { status: FulfillmentPlan['solver']['status']; seconds: number; groups: number };
}

/** The relative gap HiGHS stops at (the plan API favours answering within its time limit). */
const relativeGap = 1e-4;

/**
 * `POST /api/v1/fulfillment/plan`: where the lines would ship from, changing nothing. The strategy is
 * the one named, else the stored default, else the built-in one. Stock: the request's `inventory`
 * when given; else the inventory store when the strategy uses real inventory; else unlimited stock at
 * every source of the strategy (what-if planning of places, not quantities).
 */
export async function planFulfillmentRequest(deps: PlanRequestDeps, body: unknown): Promise<PlanResponse> {
  const request = deps.validators.plan(body);
  const duplicates = request.lines.flatMap((line, index) =>
    request.lines.findIndex((other) => other.lineId === line.lineId) < index
      ? [{ path: `/lines/${index}/lineId`, message: `line ${line.lineId} is given twice` }]
      : []
  );
  if (duplicates.length > 0) throw new ValidationError('The plan request is not valid.', duplicates);
  const shipTo = pointOf(request.shipTo, deps.geocode, '/shipTo/postalCode');
  return planLines(deps, request, shipTo);
}

/** The journey activity: plans a stored order (`{orderId}`) or a plan request, like the plan API. */
export async function planFulfillmentActivity(
  deps: PlanRequestDeps & { orders: OrderRepository },
  input: unknown
): Promise<PlanResponse> {
  if (typeof input !== 'object' || input === null || !('orderId' in input)) {
    return planFulfillmentRequest(deps, input);
  }
  const { orderId, strategyId } = deps.validators.order(input);
  const order = await deps.orders.get(orderId);
  if (order === undefined) throw new NotFoundError(`No order ${orderId}.`, { code: 'order-not-found' });
  return planFulfillmentRequest(deps, {
    ...(strategyId === undefined ? {} : { strategyId }),
    shipTo: order.shipTo,
    lines: order.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
  });
}

/**
 * The activity as the orchestration sees it: it gets only an error's message, so a validation
 * failure's paths are put into the message.
 */
export async function planFulfillmentStep(
  deps: PlanRequestDeps & { orders: OrderRepository },
  input: unknown
): Promise<PlanResponse> {
  try {
    return await planFulfillmentActivity(deps, input);
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new Error(`${err.message} ${err.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    }
    throw err;
  }
}

async function planLines(
  deps: PlanRequestDeps,
  request: PlanRequest,
  shipTo: GeoPoint
): Promise<PlanResponse> {
  const startedMs = deps.clock.now().getTime();
  const strategy = await strategyForPlanning(deps.strategies, request.strategyId);
  const skus = [...new Set(request.lines.map((l) => l.sku))];
  const known = await Promise.all(skus.map(async (sku) => (await deps.products.get(sku)) !== undefined));
  const unknownSkus = new Set(skus.filter((_, i) => !known[i]));
  const lines = request.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));

  const first = await planWith(
    deps,
    strategy,
    request,
    shipTo,
    lines,
    unknownSkus,
    [],
    deps.timeLimitSeconds
  );
  const response = responseOf(first.plan, first.basis);
  const unfilled = first.plan.planLines.filter(
    (l) => l.status !== 'fully-sourced' && !unknownSkus.has(l.sku)
  );
  if (strategy.alternateStrategyId === undefined || unfilled.length === 0) return response;

  // The alternate strategy plans what is left, against the stock the first plan did not take.
  const alternate = await strategyForPlanning(deps.strategies, strategy.alternateStrategyId);
  const taken = first.plan.planLines.flatMap((l) =>
    l.allocations.map((a) => ({ sku: l.sku, sourceId: a.sourceId, quantity: a.quantity }))
  );
  const rest = unfilled.map((l) => ({
    lineId: l.lineId,
    sku: l.sku,
    quantity: l.quantity - l.allocations.reduce((sum, a) => sum + a.quantity, 0),
  }));
  const secondsLeft = deps.timeLimitSeconds - (deps.clock.now().getTime() - startedMs) / 1000;
  const second = await planWith(
    deps,
    alternate,
    request,
    shipTo,
    rest,
    unknownSkus,
    taken,
    Math.max(0.1, secondsLeft)
  );
  return mergeAlternate(response, strategy.id, second.plan);
}

async function planWith(
  deps: PlanRequestDeps,
  strategy: FulfillmentStrategy,
  request: PlanRequest,
  shipTo: GeoPoint,
  lines: PlanningProblem['orders'][number]['lines'],
  unknownSkus: ReadonlySet<string>,
  taken: readonly StockLevel[],
  timeLimitSeconds: number
): Promise<{ plan: FulfillmentPlan; basis: StockBasis }> {
  const sources = await sourcesForStrategy(deps, strategy);
  const skus = [...new Set(lines.map((l) => l.sku))].filter((sku) => !unknownSkus.has(sku));
  const { stock, basis } = await stockFor(deps, strategy, request, sources, skus, lines);
  const problem: PlanningProblem = {
    orders: [{ orderId: 'request', shipTo, lines }],
    sources,
    stock: withoutTaken(stock, taken),
    unknownSkus,
    now: deps.clock.now(),
  };
  const plan = await planBatch({ solver: deps.solver, clock: deps.clock }, problem, strategy, {
    timeLimitSeconds,
    relativeGap,
  });
  return { plan, basis };
}

/** The strategy's sources: its source list's, in list order (ids no longer in the catalog skipped), else all. */
export async function sourcesForStrategy(
  deps: SourceCatalog,
  strategy: Pick<FulfillmentStrategy, 'sourceListId'>
): Promise<Source[]> {
  const all = await deps.sources.list();
  if (strategy.sourceListId === undefined) return all;
  const list = await deps.sourceLists.get(strategy.sourceListId);
  if (list === undefined) throw sourceListNotFound(strategy.sourceListId);
  const byId = new Map(all.map((s) => [s.id, s]));
  return list.sourceList.sourceIds.flatMap((id) => {
    const source = byId.get(id);
    return source === undefined ? [] : [source];
  });
}

async function stockFor(
  deps: PlanRequestDeps,
  strategy: FulfillmentStrategy,
  request: PlanRequest,
  sources: readonly SourcingSource[],
  skus: readonly string[],
  lines: readonly { sku: string; quantity: number }[]
): Promise<{ stock: StockLevel[]; basis: StockBasis }> {
  const sourceIds = new Set(sources.map((s) => s.id));
  if (request.inventory !== undefined) {
    // Rows of one (sku, source) add up; rows of other sources or SKUs play no part.
    const summed = new Map<string, StockLevel>();
    for (const row of request.inventory) {
      if (!sourceIds.has(row.sourceId) || !skus.includes(row.sku)) continue;
      const key = JSON.stringify([row.sku, row.sourceId]);
      const found = summed.get(key);
      if (found === undefined)
        summed.set(key, { sku: row.sku, sourceId: row.sourceId, quantity: row.quantity });
      else found.quantity += row.quantity;
    }
    return { stock: [...summed.values()], basis: 'request' };
  }
  if (!strategy.useRealInventory) {
    // Unlimited: every source could ship every line in full, even after holding back safety stock.
    const demand = new Map<string, number>();
    for (const line of lines) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
    const stock = skus.flatMap((sku) =>
      sources.map((s) => ({ sku, sourceId: s.id, quantity: (demand.get(sku) ?? 0) + s.safetyStock }))
    );
    return { stock, basis: 'unlimited' };
  }
  if (skus.length === 0 || sources.length === 0) return { stock: [], basis: 'inventory' };
  const stock = await deps.stock.available(
    skus,
    strategy.sourceListId === undefined ? undefined : [...sourceIds]
  );
  return { stock: stock.filter((row) => sourceIds.has(row.sourceId)), basis: 'inventory' };
}

function withoutTaken(stock: readonly StockLevel[], taken: readonly StockLevel[]): StockLevel[] {
  if (taken.length === 0) return [...stock];
  return stock.map((row) => {
    const used = taken
      .filter((t) => t.sku === row.sku && t.sourceId === row.sourceId)
      .reduce((sum, t) => sum + t.quantity, 0);
    return { ...row, quantity: Math.max(0, row.quantity - used) };
  });
}

/** The point of an address: its coordinates, or its postal code geocoded (400 at `path` when it cannot be). */
export function pointOf(address: AddressWithPoint, geocode: Geocoder, path: string): GeoPoint {
  if (address.lat !== undefined && address.lon !== undefined) return { lat: address.lat, lon: address.lon };
  const point = geocode(address.postalCode, address.country);
  if (point === undefined) {
    throw new ValidationError('The address cannot be placed.', [
      {
        path,
        message: `cannot be geocoded (${address.country} ${address.postalCode}); give lat and lon`,
      },
    ]);
  }
  return point;
}

function responseOf(plan: FulfillmentPlan, basis: StockBasis): PlanResponse {
  return {
    strategyId: plan.strategyId,
    objectiveType: plan.objectiveType,
    simulation: plan.simulation,
    stockBasis: basis,
    planLines: plan.planLines.map(({ orderId: _orderId, ...line }) => line),
    objective: plan.objective,
    shipments: plan.shipments,
    unsourcedUnits: plan.unsourcedUnits,
    gap: plan.solver.provenGap,
    solver: { status: plan.solver.status, seconds: plan.solver.seconds, groups: plan.solver.groups },
  };
}

/**
 * The first plan with the alternate's allocations added to the lines it left short. Allocations say
 * which strategy made them; a line still short keeps the alternate's reasons (its last attempt).
 * Objective and shipments add up both plans (a source both used counts once per plan).
 */
function mergeAlternate(first: PlanResponse, strategyId: string, second: FulfillmentPlan): PlanResponse {
  const byLine = new Map(second.planLines.map((l) => [l.lineId, l]));
  const planLines = first.planLines.map((line) => {
    const extra = byLine.get(line.lineId);
    if (extra === undefined) return line;
    const allocations = [
      ...line.allocations.map((a) => ({ ...a, strategyId })),
      ...extra.allocations.map((a) => ({ ...a, strategyId: second.strategyId })),
    ];
    const allocated = allocations.reduce((sum, a) => sum + a.quantity, 0);
    const status: PlanLine['status'] =
      allocated >= line.quantity ? 'fully-sourced' : allocated > 0 ? 'partially-sourced' : 'not-sourced';
    const reasons: PlanReason[] | undefined =
      status === 'fully-sourced' ? undefined : (extra.reasons ?? line.reasons);
    const { reasons: _old, ...rest } = line;
    return { ...rest, status, allocations, ...(reasons === undefined ? {} : { reasons }) };
  });
  return {
    ...first,
    alternateStrategyId: second.strategyId,
    planLines,
    objective: first.objective + second.objective,
    shipments: first.shipments + second.shipments,
    unsourcedUnits: planLines.reduce(
      (sum, l) => sum + l.quantity - l.allocations.reduce((units, a) => units + a.quantity, 0),
      0
    ),
    gap: Math.max(first.gap, second.solver.provenGap),
    solver: {
      status: first.solver.status === 'optimal' ? second.solver.status : first.solver.status,
      seconds: first.solver.seconds + second.solver.seconds,
      groups: first.solver.groups + second.solver.groups,
    },
  };
}
