import type { Container } from '@azure/cosmos';
import type { Journey } from '../../domain/journeys/journey';
import type { Clock } from '../../ports/clock';
import type { JourneyRepository, JourneyWrite, StoredJourney } from '../../ports/journeys';
import { ConfigVersions, type StoredVersion } from './config-versions';
import type { Stored } from './document-store';

/** The partition of the `config` container (partition key `/kind`) that holds every journey version. */
const partition = 'journey';

/**
 * A journey version as stored. The journey's own `id` and `type` would collide with the document id
 * and type, so they are stored as `journeyId` and `journeyType`.
 */
interface JourneyDocument {
  /** `journey:{journeyId}:{version}`. */
  id: string;
  type: 'journey';
  kind: typeof partition;
  journeyId: string;
  journeyType: Journey['type'];
  name: string;
  startEvent: string;
  steps: Journey['steps'];
  version: number;
  status: Journey['status'];
  createdAt?: string;
  updatedAt?: string;
}

/** Journey versions in `config` (ConfigVersions: one partition, atomic publishes). */
export class CosmosJourneyRepository implements JourneyRepository {
  readonly #versions: ConfigVersions<Journey, JourneyDocument>;

  constructor(container: Container, clock: Clock) {
    this.#versions = new ConfigVersions(container, clock, {
      kind: partition,
      idField: 'journeyId',
      documentOf,
      valueOf: journeyOf,
    });
  }

  async versions(journeyId: string): Promise<StoredJourney[]> {
    return (await this.#versions.versions(journeyId)).map(storedJourney);
  }

  async all(): Promise<StoredJourney[]> {
    return (await this.#versions.all()).map(storedJourney);
  }

  async write(writes: readonly JourneyWrite[]): Promise<StoredJourney[]> {
    const written = await this.#versions.write(
      writes.map(({ journey, ...rest }) => ({ value: journey, ...rest }))
    );
    return written.map(storedJourney);
  }
}

function storedJourney({ value, ...rest }: StoredVersion<Journey>): StoredJourney {
  return { journey: value, ...rest };
}

function documentOf(journey: Journey): JourneyDocument {
  const { id, type, ...rest } = journey;
  return {
    ...rest,
    id: `journey:${id}:${journey.version}`,
    type: 'journey',
    kind: partition,
    journeyId: id,
    journeyType: type,
  };
}

/** The stored document back as a journey (it was checked against the schema when written). */
function journeyOf(doc: Stored<JourneyDocument>): Journey {
  return {
    id: doc.journeyId,
    name: doc.name,
    type: doc.journeyType,
    startEvent: doc.startEvent,
    steps: doc.steps,
    version: doc.version,
    status: doc.status,
  };
}
