import type { PlanningProblem } from '../../../shared/domain/fulfillment/planning-problem';
import { allocationsOf, monday10, plan, source } from './fulfillment-fixtures';

// Points along a parallel (1° of longitude at 40°N ≈ 85 km).
const customer = { lat: 40, lon: -100 };
const near = (id: string, extra = {}) => source(id, 40, -100.5, extra); // ≈ 43 km
const far = (id: string, extra = {}) => source(id, 40, -104, extra); // ≈ 341 km

function problem(
  partial: Partial<PlanningProblem> & Pick<PlanningProblem, 'sources' | 'stock'>
): PlanningProblem {
  return {
    orders: [{ orderId: 'O1', shipTo: customer, lines: [{ lineId: '1', sku: 'A', quantity: 2 }] }],
    now: monday10,
    ...partial,
  };
}

it('consolidates into one shipment where line-by-line nearest would ship twice', async () => {
  // Nearest per line: A from N1 (43 km), B from N2 (43 km) = 85 km. One shipment from M (77 km) wins.
  const result = await plan(
    problem({
      orders: [
        {
          orderId: 'O1',
          shipTo: customer,
          lines: [
            { lineId: '1', sku: 'A', quantity: 1 },
            { lineId: '2', sku: 'B', quantity: 1 },
          ],
        },
      ],
      sources: [near('N1'), source('N2', 40, -99.5), source('M', 40, -100.9)],
      stock: [
        { sku: 'A', sourceId: 'N1', quantity: 5 },
        { sku: 'B', sourceId: 'N2', quantity: 5 },
        { sku: 'A', sourceId: 'M', quantity: 5 },
        { sku: 'B', sourceId: 'M', quantity: 5 },
      ],
    })
  );
  expect(allocationsOf(result, '1')).toEqual(['M:1']);
  expect(allocationsOf(result, '2')).toEqual(['M:1']);
  expect(result.shipments).toBe(1);
  const pass = result.solver.passes[0]!;
  expect(pass.modelObjective).toBeLessThan(pass.greedyObjective);
  expect(result.objective).toBeCloseTo(76.7, 0);
});

it('never drops a unit to save shipments of another order', async () => {
  // X holds the one unit of K that A (only X within 150 km) can take; B could take it from X at 0 km
  // or from Y 100 km away. Dropping A's unit saves 200 km — more than the penalty per unit (101,
  // above everything one order could cost) — so a weighted objective alone would drop it.
  const a = { lat: 40, lon: -100 + 100 / 85.18 };
  const b = { lat: 40, lon: -100 };
  const result = await plan(
    {
      orders: [
        { orderId: 'B', shipTo: b, lines: [{ lineId: '1', sku: 'K', quantity: 1 }] },
        { orderId: 'A', shipTo: a, lines: [{ lineId: '1', sku: 'K', quantity: 1 }] },
      ],
      sources: [source('X', 40, -100), source('Y', 40, -100 - 100 / 85.18)],
      stock: [
        { sku: 'K', sourceId: 'X', quantity: 1 },
        { sku: 'K', sourceId: 'Y', quantity: 1 },
      ],
      now: monday10,
    },
    [{ type: 'maxDistanceKm', value: 150, hard: true }]
  );
  expect(result.unsourcedUnits).toBe(0);
  expect(allocationsOf(result, '1', 'A')).toEqual(['X:1']);
  expect(allocationsOf(result, '1', 'B')).toEqual(['Y:1']);
  expect(result.objective).toBeCloseTo(200, 0);
  expect(result.solver.passes[0]!.penaltyPerUnit).toBeLessThan(200);
});

describe('hard and soft constraints', () => {
  const farOnly = problem({ sources: [far('F')], stock: [{ sku: 'A', sourceId: 'F', quantity: 5 }] });

  it('drops a soft max distance that cannot be met in pass 2', async () => {
    const result = await plan(farOnly, [{ type: 'maxDistanceKm', value: 100, hard: false }]);
    expect(result.planLines[0]!.status).toBe('fully-sourced');
    expect(allocationsOf(result, '1')).toEqual(['F:2']);
    expect(result.solver.passes.map((p) => p.pass)).toEqual([1, 2]);
  });

  it('leaves the line not sourced under a hard max distance, naming the constraint and the source', async () => {
    const result = await plan(farOnly, [{ type: 'maxDistanceKm', value: 100, hard: true }]);
    const line = result.planLines[0]!;
    expect(line.status).toBe('not-sourced');
    expect(line.allocations).toEqual([]);
    expect(line.reasons).toEqual([
      expect.objectContaining({
        code: 'max-distance',
        constraint: 'maxDistanceKm',
        hard: true,
        sourceIds: ['F'],
      }),
    ]);
  });
});

it('never uses an offline source, and says so', async () => {
  const result = await plan(
    problem({
      sources: [near('OFF', { online: false }), far('F')],
      stock: [
        { sku: 'A', sourceId: 'OFF', quantity: 5 },
        { sku: 'A', sourceId: 'F', quantity: 1 },
      ],
    })
  );
  const line = result.planLines[0]!;
  expect(line.status).toBe('partially-sourced');
  expect(allocationsOf(result, '1')).toEqual(['F:1']);
  expect(line.reasons).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ code: 'source-offline', sourceIds: ['OFF'] }),
      expect.objectContaining({ code: 'insufficient-stock' }),
    ])
  );
});

it('respects partial line not allowed: all of a line from what exists, or nothing', async () => {
  const short = problem({
    sources: [near('N'), far('F')],
    stock: [
      { sku: 'A', sourceId: 'N', quantity: 1 },
      { sku: 'A', sourceId: 'F', quantity: 0 },
    ],
  });
  const result = await plan(short, [{ type: 'allowPartialLine', value: false, hard: true }]);
  expect(result.planLines[0]!.status).toBe('not-sourced');
  expect(result.planLines[0]!.allocations).toEqual([]);
  const allowed = await plan(short);
  expect(allowed.planLines[0]!.status).toBe('partially-sourced');
});

it('holds back safety stock when asked, and not otherwise', async () => {
  const stocked = problem({
    sources: [near('N', { safetyStock: 2 }), far('F')],
    stock: [
      { sku: 'A', sourceId: 'N', quantity: 2 },
      { sku: 'A', sourceId: 'F', quantity: 5 },
    ],
  });
  const held = await plan(stocked, [{ type: 'useSafetyStock', value: true, hard: true }]);
  expect(allocationsOf(held, '1')).toEqual(['F:2']);
  const notHeld = await plan(stocked);
  expect(allocationsOf(notHeld, '1')).toEqual(['N:2']);
});

it('gives per-line reasons: unknown SKU, no stock anywhere', async () => {
  const result = await plan(
    problem({
      orders: [
        {
          orderId: 'O1',
          shipTo: customer,
          lines: [
            { lineId: '1', sku: 'GHOST', quantity: 1 },
            { lineId: '2', sku: 'B', quantity: 1 },
          ],
        },
      ],
      sources: [near('N')],
      stock: [],
      unknownSkus: new Set(['GHOST']),
    })
  );
  expect(result.planLines.map((l) => [l.lineId, l.status, l.reasons?.map((r) => r.code)])).toEqual([
    ['1', 'not-sourced', ['unknown-sku']],
    ['2', 'not-sourced', ['no-stock']],
  ]);
});

it('shares stock across the orders of a batch (the nearer order does not starve the other)', async () => {
  // One unit at N, one at F, two orders of one unit each: both are filled and N's unit is used once.
  const result = await plan({
    orders: [
      { orderId: 'O1', shipTo: customer, lines: [{ lineId: '1', sku: 'A', quantity: 1 }] },
      { orderId: 'O2', shipTo: { lat: 40, lon: -102 }, lines: [{ lineId: '1', sku: 'A', quantity: 1 }] },
    ],
    sources: [near('N'), far('F')],
    stock: [
      { sku: 'A', sourceId: 'N', quantity: 1 },
      { sku: 'A', sourceId: 'F', quantity: 1 },
    ],
    now: monday10,
  });
  expect(result.planLines.every((l) => l.status === 'fully-sourced')).toBe(true);
  const fromN = result.planLines.flatMap((l) => l.allocations).filter((a) => a.sourceId === 'N');
  expect(fromN).toHaveLength(1);
});

it('excludes a source past its cut-off when respectCutoff is hard, and uses it in pass 2 when soft', async () => {
  const late = problem({
    sources: [near('N', { cutoffTime: '09:00' }), far('F')],
    stock: [
      { sku: 'A', sourceId: 'N', quantity: 5 },
      { sku: 'A', sourceId: 'F', quantity: 5 },
    ],
  });
  const hard = await plan(late, [{ type: 'respectCutoff', value: true, hard: true }]);
  expect(allocationsOf(hard, '1')).toEqual(['F:2']);
  const noStockElsewhere = { ...late, stock: [{ sku: 'A', sourceId: 'N', quantity: 5 }] };
  const soft = await plan(noStockElsewhere, [{ type: 'respectCutoff', value: true, hard: false }]);
  expect(allocationsOf(soft, '1')).toEqual(['N:2']);
  const refused = await plan(noStockElsewhere, [{ type: 'respectCutoff', value: true, hard: true }]);
  expect(refused.planLines[0]!.reasons).toEqual([
    expect.objectContaining({ code: 'cutoff-passed', constraint: 'respectCutoff', sourceIds: ['N'] }),
    expect.objectContaining({ code: 'no-stock', sourceIds: ['F'] }),
  ]);
});
