import { chooseReturnLocation, type ReturnExclusion } from '../../domain/fulfillment/return-location';
import type { Geocoder, Source } from '../../domain/fulfillment/source';
import type { StrategyRepository } from '../../ports/fulfillment-strategies';
import { strategyForPlanning } from './fulfillment-strategies';
import { pointOf, sourcesForStrategy, type SourceCatalog } from './plan-fulfillment-request';
import type { ReturnLocationRequest } from '../../ports/fulfillment-requests';

export interface ReturnLocationDeps extends SourceCatalog {
  validate: (input: unknown) => ReturnLocationRequest;
  strategies: StrategyRepository;
  geocode: Geocoder;
}

export interface ReturnLocationResponse {
  strategyId: string;
  objectiveType: 'distance' | 'cost';
  /** The source to send the return to, or null when none qualifies (`reasons` says why). */
  location: {
    sourceId: string;
    name: string;
    type: Source['type'];
    address: Source['address'];
    distanceKm: number;
    cost?: number;
  } | null;
  /** A soft maximum distance dropped to find a location. */
  relaxed: string[];
  reasons?: ReturnExclusion[];
}

/**
 * `POST /api/v1/returns/locations`: the best source for a return under the strategy (named, else the
 * default, else the built-in one) among its sources (source list, else all): accepts returns, online,
 * within the strategy's maximum distance, nearest or cheapest by its objective. Changes nothing.
 */
export async function findReturnLocation(
  deps: ReturnLocationDeps,
  body: unknown
): Promise<ReturnLocationResponse> {
  const request = deps.validate(body);
  const shipFrom = pointOf(request.shipFrom, deps.geocode, '/shipFrom/postalCode');
  const strategy = await strategyForPlanning(deps.strategies, request.strategyId);
  const sources = await sourcesForStrategy(deps, strategy);
  const units = request.lines.reduce((sum, line) => sum + line.quantity, 0);
  const choice = chooseReturnLocation(sources, shipFrom, strategy, units);
  const source = choice.location && sources.find((s) => s.id === choice.location!.sourceId);
  return {
    strategyId: strategy.id,
    objectiveType: strategy.objective,
    location:
      source === undefined || choice.location === undefined
        ? null
        : {
            sourceId: source.id,
            name: source.name,
            type: source.type,
            address: source.address,
            distanceKm: choice.location.distanceKm,
            ...(choice.location.cost === undefined ? {} : { cost: choice.location.cost }),
          },
    relaxed: choice.relaxed,
    ...(choice.reasons === undefined ? {} : { reasons: choice.reasons }),
  };
}
