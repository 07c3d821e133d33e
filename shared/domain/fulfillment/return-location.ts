import { planningDistanceKm, roundTo } from './geo-distance';
import type { FulfillmentStrategy } from './strategy';
import type { GeoPoint, Source } from './source';

/** What choosing a return location reads of a source. */
export type ReturnSource = Pick<
  Source,
  'id' | 'location' | 'online' | 'acceptsReturns' | 'costs' | 'priority'
>;

export type ReturnExclusionCode = 'not-accepting-returns' | 'offline' | 'max-distance';

export interface ReturnExclusion {
  code: ReturnExclusionCode | 'no-sources';
  message: string;
  sourceIds?: string[];
}

export interface ReturnLocation {
  sourceId: string;
  distanceKm: number;
  /** For the cost objective: perShipment + perKm·km + perUnit·units, in minor units. */
  cost?: number;
}

export interface ReturnLocationChoice {
  /** The best qualifying source, or undefined when none qualifies (then `reasons` says why). */
  location?: ReturnLocation;
  /** A soft `maxDistanceKm` that had to be dropped to find a location (IOM's second pass). */
  relaxed: 'maxDistanceKm'[];
  /** Per code, the sources it excluded; present when no source qualifies. */
  reasons?: ReturnExclusion[];
}

const messages: Record<ReturnExclusionCode, string> = {
  'not-accepting-returns': 'sources do not accept returns',
  offline: 'sources are offline',
  'max-distance': 'sources are beyond the maximum distance',
};

/**
 * Where a return should go: among the sources that accept returns and are online, the one the
 * strategy's objective prefers — nearest for `distance`, cheapest for `cost` (a return is one
 * shipment of `units` units) — within the strategy's `maxDistanceKm`. A soft maximum is dropped when
 * no source is within it (as the optimizer's second pass does); a hard one never is. Ties go to the
 * better priority (lower number), then the nearer source, then the smaller id, so the answer is stable.
 */
export function chooseReturnLocation(
  sources: readonly ReturnSource[],
  shipFrom: GeoPoint,
  strategy: Pick<FulfillmentStrategy, 'objective' | 'roadFactor' | 'constraints'>,
  units: number
): ReturnLocationChoice {
  if (sources.length === 0) {
    return { relaxed: [], reasons: [{ code: 'no-sources', message: 'There are no sources to return to.' }] };
  }
  const maxDistance = strategy.constraints.find((c) => c.type === 'maxDistanceKm');
  const limitKm = typeof maxDistance?.value === 'number' ? maxDistance.value : undefined;
  const candidates = sources.map((source) => {
    const distanceKm = planningDistanceKm(shipFrom, source.location, strategy.roadFactor);
    const codes: ReturnExclusionCode[] = [];
    if (!source.acceptsReturns) codes.push('not-accepting-returns');
    if (!source.online) codes.push('offline');
    if (limitKm !== undefined && distanceKm > limitKm) codes.push('max-distance');
    const { perShipment = 0, perKm = 0, perUnit = 0 } = source.costs;
    const cost = roundTo(perShipment + perKm * distanceKm + perUnit * units, 3);
    return { source, distanceKm, cost, codes };
  });
  const best = (allowed: (codes: ReturnExclusionCode[]) => boolean) =>
    candidates
      .filter((c) => allowed(c.codes))
      .sort(
        (a, b) =>
          (strategy.objective === 'cost' ? a.cost - b.cost : a.distanceKm - b.distanceKm) ||
          a.source.priority - b.source.priority ||
          a.distanceKm - b.distanceKm ||
          (a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0)
      )[0];
  const locationOf = (c: (typeof candidates)[number]): ReturnLocation => ({
    sourceId: c.source.id,
    distanceKm: c.distanceKm,
    ...(strategy.objective === 'cost' ? { cost: c.cost } : {}),
  });

  const within = best((codes) => codes.length === 0);
  if (within !== undefined) return { location: locationOf(within), relaxed: [] };
  if (maxDistance !== undefined && !maxDistance.hard) {
    const beyond = best((codes) => codes.every((code) => code === 'max-distance'));
    if (beyond !== undefined) return { location: locationOf(beyond), relaxed: ['maxDistanceKm'] };
  }
  const reasons: ReturnExclusion[] = [];
  for (const code of Object.keys(messages) as ReturnExclusionCode[]) {
    const sourceIds = candidates.filter((c) => c.codes.includes(code)).map((c) => c.source.id);
    if (sourceIds.length > 0)
      reasons.push({ code, message: `${sourceIds.length} ${messages[code]}.`, sourceIds });
  }
  return { relaxed: [], reasons };
}
