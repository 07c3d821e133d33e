import type { Journey, JourneyType } from '../../domain/journeys/journey';
import { journeyInstanceId } from '../../domain/journeys/journey-instance-id';
import type { JourneyRef } from '../../domain/journeys/journey-signal';
import type { Clock } from '../../ports/clock';
import type { JourneyRepository } from '../../ports/journeys';
import { BriefCache } from '../brief-cache';

/**
 * Which journey a new entity of each type runs: the published journey of that type (when several are
 * published, the one published last). Read at most once per `ttlMs` — intake asks for every order,
 * fulfillment order creation for every fulfillment order — concurrent callers sharing one read, and
 * forgotten at once when this process publishes or unpublishes a journey.
 */
export class JourneysInForce {
  readonly #cache: BriefCache<Map<JourneyType, Journey>>;

  constructor(
    private readonly journeys: JourneyRepository,
    clock: Clock,
    ttlMs = 1000
  ) {
    this.#cache = new BriefCache(() => this.#load(), clock, ttlMs);
  }

  /** The journey a new `type` entity starts on, or undefined when none is published. */
  async forType(type: JourneyType): Promise<Journey | undefined> {
    return (await this.#cache.get()).get(type);
  }

  /** The ref of the instance a new entity starts: its journey in force, or undefined. */
  async refFor(type: JourneyType, entityId: string): Promise<JourneyRef | undefined> {
    const journey = await this.forType(type);
    if (journey === undefined) return undefined;
    return {
      instanceId: journeyInstanceId(type, entityId, journey.id),
      journeyId: journey.id,
      version: journey.version,
    };
  }

  forget(): void {
    this.#cache.forget();
  }

  async #load(): Promise<Map<JourneyType, Journey>> {
    const chosen = new Map<JourneyType, { journey: Journey; updatedAt: string }>();
    for (const stored of await this.journeys.all()) {
      const { journey } = stored;
      if (journey.status !== 'published') continue;
      const seen = chosen.get(journey.type);
      if (seen === undefined || seen.updatedAt < stored.updatedAt) {
        chosen.set(journey.type, { journey, updatedAt: stored.updatedAt });
      }
    }
    return new Map([...chosen].map(([type, { journey }]) => [type, journey]));
  }
}
