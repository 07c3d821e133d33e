import fc from 'fast-check';
import { planningDistanceKm } from '../../../shared/domain/fulfillment/geo-distance';
import type { StrategyConstraint } from '../../../shared/domain/fulfillment/strategy';
import { chooseReturnLocation, type ReturnSource } from '../../../shared/domain/fulfillment/return-location';

// Points along a parallel (1° of longitude at 40°N ≈ 85 km).
const customer = { lat: 40, lon: -100 };

function source(id: string, lon: number, extra: Partial<ReturnSource> = {}): ReturnSource {
  return {
    id,
    location: { lat: 40, lon, geocoded: false },
    online: true,
    acceptsReturns: true,
    costs: {},
    priority: 1,
    ...extra,
  };
}

const byDistance = (constraints: StrategyConstraint[] = []) => ({
  objective: 'distance' as const,
  roadFactor: 1,
  constraints,
});

it('picks the nearest source that accepts returns and is online, with its distance', () => {
  const choice = chooseReturnLocation(
    [
      source('NEAR-NO-RETURNS', -100.1, { acceptsReturns: false }),
      source('NEAR-OFFLINE', -100.2, { online: false }),
      source('MID', -101),
      source('FAR', -104),
    ],
    customer,
    byDistance(),
    1
  );
  expect(choice).toEqual({
    location: { sourceId: 'MID', distanceKm: planningDistanceKm(customer, { lat: 40, lon: -101 }, 1) },
    relaxed: [],
  });
  expect(choice.location!.distanceKm).toBeCloseTo(85.2, 0);
});

it('picks the cheapest for the cost objective: per shipment + per km + per unit of the return', () => {
  const sources = [
    source('NEAR-DEAR', -100.5, { costs: { perShipment: 5000 } }),
    source('FAR-CHEAP', -103, { costs: { perShipment: 100, perKm: 1, perUnit: 10 } }),
  ];
  const choice = chooseReturnLocation(sources, customer, { ...byDistance(), objective: 'cost' }, 3);
  expect(choice.location?.sourceId).toBe('FAR-CHEAP');
  const km = planningDistanceKm(customer, { lat: 40, lon: -103 }, 1);
  expect(choice.location?.cost).toBeCloseTo(100 + km + 30, 3);
});

it('keeps a hard maximum distance and says why no source qualifies, per code', () => {
  const choice = chooseReturnLocation(
    [
      source('A', -100.1, { acceptsReturns: false }),
      source('B', -100.2, { online: false }),
      source('C', -104),
    ],
    customer,
    byDistance([{ type: 'maxDistanceKm', value: 100, hard: true }]),
    1
  );
  expect(choice.location).toBeUndefined();
  expect(choice.reasons).toEqual([
    { code: 'not-accepting-returns', message: '1 sources do not accept returns.', sourceIds: ['A'] },
    { code: 'offline', message: '1 sources are offline.', sourceIds: ['B'] },
    { code: 'max-distance', message: '1 sources are beyond the maximum distance.', sourceIds: ['C'] },
  ]);
});

it('drops a soft maximum distance when nothing is within it, and says so', () => {
  const choice = chooseReturnLocation(
    [source('FAR', -104), source('FARTHER', -106), source('OFF', -100.1, { online: false })],
    customer,
    byDistance([{ type: 'maxDistanceKm', value: 100, hard: false }]),
    1
  );
  expect(choice.location?.sourceId).toBe('FAR');
  expect(choice.relaxed).toEqual(['maxDistanceKm']);
});

it('breaks ties by priority, then by id', () => {
  const same = -101;
  expect(
    chooseReturnLocation(
      [source('B', same, { priority: 1 }), source('A', same, { priority: 2 })],
      customer,
      byDistance(),
      1
    ).location?.sourceId
  ).toBe('B');
  expect(
    chooseReturnLocation([source('B', same), source('A', same)], customer, byDistance(), 1).location?.sourceId
  ).toBe('A');
});

it('answers no-sources when there is none', () => {
  expect(chooseReturnLocation([], customer, byDistance(), 1).reasons).toEqual([
    { code: 'no-sources', message: 'There are no sources to return to.' },
  ]);
});

it('always picks a qualifying source no other qualifying source beats, or none when none qualifies', () => {
  const arbitrarySource = fc.record({
    lon: fc.double({ min: -110, max: -90, noNaN: true }),
    online: fc.boolean(),
    acceptsReturns: fc.boolean(),
    perShipment: fc.integer({ min: 0, max: 1000 }),
    perKm: fc.integer({ min: 0, max: 5 }),
  });
  fc.assert(
    fc.property(
      fc.array(arbitrarySource, { minLength: 1, maxLength: 8 }),
      fc.constantFrom('distance' as const, 'cost' as const),
      fc.option(fc.integer({ min: 10, max: 1000 }), { nil: undefined }),
      (raw, objective, maxKm) => {
        const sources = raw.map((r, i) =>
          source(`S${i}`, r.lon, {
            online: r.online,
            acceptsReturns: r.acceptsReturns,
            costs: { perShipment: r.perShipment, perKm: r.perKm },
          })
        );
        const constraints: StrategyConstraint[] =
          maxKm === undefined ? [] : [{ type: 'maxDistanceKm', value: maxKm, hard: true }];
        const choice = chooseReturnLocation(sources, customer, { objective, roadFactor: 1, constraints }, 2);
        const score = (s: ReturnSource) => {
          const km = planningDistanceKm(customer, s.location, 1);
          return objective === 'distance' ? km : (s.costs.perShipment ?? 0) + (s.costs.perKm ?? 0) * km;
        };
        const qualifying = sources.filter(
          (s) =>
            s.online &&
            s.acceptsReturns &&
            (maxKm === undefined || planningDistanceKm(customer, s.location, 1) <= maxKm)
        );
        if (qualifying.length === 0) {
          expect(choice.location).toBeUndefined();
          expect(choice.reasons?.length).toBeGreaterThan(0);
          return;
        }
        const chosen = sources.find((s) => s.id === choice.location?.sourceId)!;
        expect(qualifying).toContain(chosen);
        const best = Math.min(...qualifying.map(score));
        expect(score(chosen)).toBeCloseTo(best, 6);
      }
    ),
    { numRuns: 300 }
  );
});
