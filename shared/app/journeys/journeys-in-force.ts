import type { Journey, JourneyType } from '../../domain/journeys/journey';
import { journeyInstanceId } from '../../domain/journeys/journey-instance-id';
import type { JourneyRef } from '../../domain/journeys/journey-signal';
import type { Clock } from '../../ports/clock';
import type { JourneyRepository } from '../../ports/journeys';

/**
 * Which journey a new entity of each type runs: the published journey of that type (when several are
 * published, the one published last). Read at most once per `ttlMs` — intake asks for every order —
 * and forgotten at once when this process publishes or unpublishes a journey.
 */
export class JourneysInForce {
  #cache: { readAt: number; byType: Map<JourneyType, Journey> } | undefined;

  constructor(
    private readonly journeys: JourneyRepository,
    private readonly clock: Clock,
    private readonly ttlMs = 1000
  ) {}

  /** The journey a new `type` entity starts on, or undefined when none is published. */
  async forType(type: JourneyType): Promise<Journey | undefined> {
    const now = this.clock.now().getTime();
    if (this.#cache === undefined || now - this.#cache.readAt >= this.ttlMs) {
      this.#cache = { readAt: now, byType: await this.#load() };
    }
    return this.#cache.byType.get(type);
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
    this.#cache = undefined;
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
