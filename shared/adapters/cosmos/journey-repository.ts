import type { Container } from '@azure/cosmos';
import type { Journey } from '../../domain/journeys/journey';
import type { Clock } from '../../ports/clock';
import { nowIso } from '../../ports/clock';
import type { JourneyRepository, JourneyWrite, StoredJourney } from '../../ports/journeys';
import { queryAllVersions, writeVersions } from './config-versions';
import { DocumentStore, type Stored } from './document-store';

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

/** Journey versions in `config`: all in one partition, so a publish (two versions) is one transactional batch. */
export class CosmosJourneyRepository implements JourneyRepository {
  readonly #store: DocumentStore<JourneyDocument>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#store = new DocumentStore<JourneyDocument>(container, '/kind', clock);
  }

  async versions(journeyId: string): Promise<StoredJourney[]> {
    return this.#queryAll("SELECT * FROM c WHERE c.type = 'journey' AND c.journeyId = @journeyId", {
      journeyId,
    });
  }

  async all(): Promise<StoredJourney[]> {
    return this.#queryAll("SELECT * FROM c WHERE c.type = 'journey'", {});
  }

  async write(writes: readonly JourneyWrite[]): Promise<StoredJourney[]> {
    if (writes.length === 0) return [];
    const now = nowIso(this.clock);
    const bodies = writes.map((w) => ({
      ...documentOf(w.journey),
      createdAt: w.createdAt ?? now,
      updatedAt: now,
    }));
    const etags = await writeVersions(
      this.container,
      partition,
      writes.map((w, i) => ({
        body: bodies[i]!,
        ...(w.etag === undefined ? {} : { etag: w.etag }),
        label: `journey ${w.journey.id} version ${w.journey.version}`,
      })),
      'journey-exists'
    );
    return writes.map((w, i) => ({
      journey: w.journey,
      etag: etags[i]!,
      createdAt: bodies[i]!.createdAt,
      updatedAt: now,
    }));
  }

  async #queryAll(sql: string, params: Record<string, string>): Promise<StoredJourney[]> {
    const found = (await queryAllVersions(this.#store, partition, sql, params)).map(storedOf);
    return found.sort(
      (a, b) =>
        (a.journey.id < b.journey.id ? -1 : a.journey.id > b.journey.id ? 1 : 0) ||
        a.journey.version - b.journey.version
    );
  }
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
function storedOf(doc: Stored<JourneyDocument>): StoredJourney {
  const journey: Journey = {
    id: doc.journeyId,
    name: doc.name,
    type: doc.journeyType,
    startEvent: doc.startEvent,
    steps: doc.steps,
    version: doc.version,
    status: doc.status,
  };
  return { journey, etag: doc._etag, createdAt: doc.createdAt ?? '', updatedAt: doc.updatedAt ?? '' };
}
