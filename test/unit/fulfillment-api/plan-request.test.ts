import { HighsMipSolver } from '../../../shared/adapters/highs/highs-solver';
import { loadPlanTimeLimitSeconds } from '../../../shared/config';
import {
  planFulfillmentActivity,
  planFulfillmentRequest,
  type PlanRequestDeps,
} from '../../../shared/app/fulfillment/plan-fulfillment-request';
import type { PlanOrderInput, PlanRequest } from '../../../shared/ports/fulfillment-requests';
import { NotFoundError, ValidationError } from '../../../shared/domain/errors';
import type { StockLevel } from '../../../shared/domain/fulfillment/planning-problem';
import type { Order } from '../../../shared/domain/orders/order';
import type { OrderRepository } from '../../../shared/ports/orders';
import { planOrderInputSchema, planRequestSchema } from '../../../shared/schemas/fulfillment-plan.schema';
import { compileValidator } from '../../../shared/schemas/validator';
import {
  MemoryProducts,
  MemorySourceLists,
  MemorySources,
  MemoryStrategies,
  storedSource,
  storedStrategy,
} from './memory-repositories';

const solver = new HighsMipSolver();
const validators = {
  plan: compileValidator<PlanRequest>(planRequestSchema, 'plan request'),
  order: compileValidator<PlanOrderInput>(planOrderInputSchema, 'plan input'),
};
// Points along a parallel (1° of longitude at 40°N ≈ 85 km); the customer is at -100.
const shipTo = { postalCode: '00000', country: 'US', lat: 40, lon: -100 };
const sources = [
  storedSource('NEAR', 40, -100.5, { safetyStock: 2 }),
  storedSource('MID', 40, -101),
  storedSource('FAR', 40, -104),
  storedSource('OFF', 40, -100.1, { online: false }),
];

function deps(stockRows: StockLevel[] = [], extra: Partial<PlanRequestDeps> = {}) {
  const asked: { skus: readonly string[]; sourceIds?: readonly string[] }[] = [];
  const built: PlanRequestDeps = {
    validators,
    strategies: new MemoryStrategies(),
    sourceLists: new MemorySourceLists(),
    sources: new MemorySources(sources),
    products: new MemoryProducts(['A', 'B']),
    stock: {
      available: (skus, sourceIds) => {
        asked.push({ skus, ...(sourceIds === undefined ? {} : { sourceIds }) });
        return Promise.resolve(
          stockRows.filter(
            (r) => skus.includes(r.sku) && (sourceIds === undefined || sourceIds.includes(r.sourceId))
          )
        );
      },
    },
    solver,
    clock: { now: () => new Date() },
    geocode: (postalCode) => (postalCode === '10001' ? { lat: 40.75, lon: -73.99 } : undefined),
    timeLimitSeconds: 5,
    ...extra,
  };
  return { deps: built, asked };
}

const stock = (sku: string, sourceId: string, quantity: number): StockLevel => ({ sku, sourceId, quantity });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err
  );
}

it('plans with the built-in strategy when none is stored: nearest online source, real stock', async () => {
  const { deps: d, asked } = deps([stock('A', 'OFF', 50), stock('A', 'NEAR', 5), stock('A', 'MID', 50)]);
  const plan = await planFulfillmentRequest(d, { shipTo, lines: [{ lineId: '1', sku: 'A', quantity: 4 }] });
  expect(plan).toMatchObject({
    strategyId: 'built-in',
    stockBasis: 'inventory',
    shipments: 1,
    unsourcedUnits: 0,
  });
  expect(plan.planLines).toEqual([
    {
      lineId: '1',
      sku: 'A',
      quantity: 4,
      status: 'fully-sourced',
      allocations: [{ sourceId: 'NEAR', quantity: 4, distanceKm: expect.closeTo(42.6, 0) as number }],
    },
  ]);
  // No source list: the stock of every source is asked for.
  expect(asked).toEqual([{ skus: ['A'] }]);
});

it('holds back safety stock once: the stock port gives it, useSafetyStock takes it', async () => {
  const { deps: d } = deps([stock('A', 'NEAR', 5)]);
  const lines = [{ lineId: '1', sku: 'A', quantity: 5 }];
  const strategies = d.strategies as MemoryStrategies;
  strategies.seed(storedStrategy('PLAIN', { isDefault: true }));
  const all = await planFulfillmentRequest(d, { shipTo, lines });
  expect(all.planLines[0]).toMatchObject({
    status: 'fully-sourced',
    allocations: [{ sourceId: 'NEAR', quantity: 5 }],
  });
  // NEAR holds 5 with a safety stock of 2: 3 may go.
  strategies.seed(
    storedStrategy('PLAIN', {
      isDefault: true,
      constraints: [{ type: 'useSafetyStock', value: true, hard: true }],
    })
  );
  const safe = await planFulfillmentRequest(d, { shipTo, lines });
  expect(safe.planLines[0]).toMatchObject({
    status: 'partially-sourced',
    allocations: [{ sourceId: 'NEAR', quantity: 3 }],
  });
});

it('marks unknown SKUs not-sourced (unknown-sku) and plans the rest', async () => {
  const { deps: d } = deps([stock('A', 'MID', 5)]);
  const plan = await planFulfillmentRequest(d, {
    shipTo,
    lines: [
      { lineId: '1', sku: 'A', quantity: 1 },
      { lineId: '2', sku: 'GHOST', quantity: 1 },
    ],
  });
  expect(plan.planLines[0]).toMatchObject({ status: 'fully-sourced' });
  expect(plan.planLines[1]).toMatchObject({
    status: 'not-sourced',
    allocations: [],
    reasons: [{ code: 'unknown-sku' }],
  });
});

it('refuses bad input with paths: quantity, duplicate line ids, a postal code that does not geocode', async () => {
  const { deps: d } = deps();
  const zero = await failure(
    planFulfillmentRequest(d, { shipTo, lines: [{ lineId: '1', sku: 'A', quantity: 0 }] })
  );
  expect((zero as ValidationError).errors.map((e) => e.path)).toEqual(['/lines/0/quantity']);
  const twice = await failure(
    planFulfillmentRequest(d, {
      shipTo,
      lines: [
        { lineId: '1', sku: 'A', quantity: 1 },
        { lineId: '1', sku: 'B', quantity: 1 },
      ],
    })
  );
  expect((twice as ValidationError).errors.map((e) => e.path)).toEqual(['/lines/1/lineId']);
  const nowhere = await failure(
    planFulfillmentRequest(d, {
      shipTo: { postalCode: '99999', country: 'US' },
      lines: [{ lineId: '1', sku: 'A', quantity: 1 }],
    })
  );
  expect((nowhere as ValidationError).errors.map((e) => e.path)).toEqual(['/shipTo/postalCode']);
  const halfPoint = await failure(
    planFulfillmentRequest(d, {
      shipTo: { postalCode: '10001', country: 'US', lat: 40 },
      lines: [{ lineId: '1', sku: 'A', quantity: 1 }],
    })
  );
  expect(halfPoint).toBeInstanceOf(ValidationError);
  const missing = await failure(
    planFulfillmentRequest(d, { strategyId: 'NOPE', shipTo, lines: [{ lineId: '1', sku: 'A', quantity: 1 }] })
  );
  expect((missing as NotFoundError).code).toBe('strategy-not-found');
});

it("plans only from the strategy's source list, with request inventory overriding the store", async () => {
  const { deps: d, asked } = deps([stock('A', 'NEAR', 100)]);
  await d.sourceLists.create({ id: 'L', name: 'L', sourceIds: ['FAR', 'MID'], createdAt: '', updatedAt: '' });
  (d.strategies as MemoryStrategies).seed(storedStrategy('LISTED', { isDefault: true, sourceListId: 'L' }));
  const fromStore = await planFulfillmentRequest(d, {
    shipTo,
    lines: [{ lineId: '1', sku: 'A', quantity: 1 }],
  });
  expect(fromStore.planLines[0]).toMatchObject({ status: 'not-sourced', reasons: [{ code: 'no-stock' }] });
  expect(asked).toEqual([{ skus: ['A'], sourceIds: ['FAR', 'MID'] }]);

  const whatIf = await planFulfillmentRequest(d, {
    shipTo,
    lines: [{ lineId: '1', sku: 'A', quantity: 3 }],
    inventory: [stock('A', 'NEAR', 100), stock('A', 'FAR', 2), stock('A', 'MID', 1), stock('A', 'MID', 1)],
  });
  expect(whatIf.stockBasis).toBe('request');
  expect(whatIf.planLines[0]!.allocations.map((a) => `${a.sourceId}:${a.quantity}`).sort()).toEqual([
    'FAR:1',
    'MID:2',
  ]);
  expect(asked).toHaveLength(1);
});

it('plans against unlimited stock at every source when the strategy does not use real inventory', async () => {
  const { deps: d, asked } = deps([]);
  (d.strategies as MemoryStrategies).seed(
    storedStrategy('WHAT-IF', { isDefault: true, useRealInventory: false })
  );
  const plan = await planFulfillmentRequest(d, {
    shipTo,
    lines: [{ lineId: '1', sku: 'A', quantity: 1000 }],
  });
  expect(plan).toMatchObject({ stockBasis: 'unlimited', unsourcedUnits: 0 });
  expect(plan.planLines[0]!.allocations).toEqual([
    expect.objectContaining({ sourceId: 'NEAR', quantity: 1000 }),
  ]);
  expect(asked).toEqual([]);
});

it('reports the hard constraint that stopped a line, and plans what is left with the alternate strategy', async () => {
  const { deps: d } = deps([stock('A', 'NEAR', 1), stock('A', 'FAR', 10)]);
  (d.strategies as MemoryStrategies).seed(
    storedStrategy('CLOSE', {
      isDefault: true,
      alternateStrategyId: 'ANY',
      constraints: [{ type: 'maxDistanceKm', value: 100, hard: true }],
    }),
    storedStrategy('ANY')
  );
  const closeOnly = await planFulfillmentRequest(d, {
    strategyId: 'ANY',
    shipTo,
    lines: [{ lineId: '1', sku: 'A', quantity: 3 }],
  });
  expect(closeOnly.alternateStrategyId).toBeUndefined();

  const plan = await planFulfillmentRequest(d, { shipTo, lines: [{ lineId: '1', sku: 'A', quantity: 3 }] });
  expect(plan).toMatchObject({ strategyId: 'CLOSE', alternateStrategyId: 'ANY', unsourcedUnits: 0 });
  expect(plan.planLines[0]).toMatchObject({ status: 'fully-sourced' });
  expect(plan.planLines[0]!.allocations.map((a) => `${a.strategyId}:${a.sourceId}:${a.quantity}`)).toEqual([
    'CLOSE:NEAR:1',
    'ANY:FAR:2',
  ]);

  // Without the alternate, the line is partly sourced and the reason names the hard constraint.
  (d.strategies as MemoryStrategies).seed(
    storedStrategy('CLOSE', {
      isDefault: true,
      constraints: [{ type: 'maxDistanceKm', value: 100, hard: true }],
    })
  );
  const short = await planFulfillmentRequest(d, { shipTo, lines: [{ lineId: '1', sku: 'A', quantity: 3 }] });
  expect(short.planLines[0]).toMatchObject({
    status: 'partially-sourced',
    reasons: expect.arrayContaining([
      expect.objectContaining({
        code: 'max-distance',
        constraint: 'maxDistanceKm',
        hard: true,
        sourceIds: ['FAR'],
      }),
    ]) as unknown,
  });
});

it('plans a stored order for the journey activity, and a plan request as well', async () => {
  const { deps: d } = deps([stock('A', 'MID', 5)]);
  const order = {
    orderId: 'O-1',
    shipTo,
    lines: [{ lineId: '7', sku: 'A', quantity: 2, state: 'new' }],
  } as unknown as Order;
  const orders = {
    get: (id: string) => Promise.resolve(id === 'O-1' ? order : undefined),
  } as unknown as OrderRepository;
  const planned = await planFulfillmentActivity({ ...d, orders }, { orderId: 'O-1' });
  expect(planned.planLines).toEqual([expect.objectContaining({ lineId: '7', status: 'fully-sourced' })]);
  const missing = await failure(planFulfillmentActivity({ ...d, orders }, { orderId: 'O-2' }));
  expect((missing as NotFoundError).code).toBe('order-not-found');
  const direct = await planFulfillmentActivity(
    { ...d, orders },
    { shipTo, lines: [{ lineId: '1', sku: 'A', quantity: 1 }] }
  );
  expect(direct.planLines[0]!.status).toBe('fully-sourced');
});

it('reads the time limit from OPENIOM_PLAN_TIME_LIMIT_SECONDS, default 2', () => {
  expect(loadPlanTimeLimitSeconds({})).toBe(2);
  expect(loadPlanTimeLimitSeconds({ OPENIOM_PLAN_TIME_LIMIT_SECONDS: '0.5' })).toBe(0.5);
  expect(() => loadPlanTimeLimitSeconds({ OPENIOM_PLAN_TIME_LIMIT_SECONDS: '0' })).toThrow(/PLAN_TIME_LIMIT/);
  expect(() => loadPlanTimeLimitSeconds({ OPENIOM_PLAN_TIME_LIMIT_SECONDS: 'soon' })).toThrow(
    /PLAN_TIME_LIMIT/
  );
});
