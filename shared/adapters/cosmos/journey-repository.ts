import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import type { Journey } from '../../domain/journeys/journey';
import type { Clock } from '../../ports/clock';
import { nowIso } from '../../ports/clock';
import type { JourneyRepository, JourneyWrite, StoredJourney } from '../../ports/journeys';
import { withCosmosErrors } from './cosmos-errors';
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
    const operations: OperationInput[] = writes.map((w, i) =>
      w.etag === undefined
        ? { operationType: 'Create', resourceBody: asJson(bodies[i]) }
        : { operationType: 'Replace', id: bodies[i]!.id, ifMatch: w.etag, resourceBody: asJson(bodies[i]) }
    );
    const what = `config/${bodies[0]!.id}`;
    const response = await withCosmosErrors(() => this.container.items.batch(operations, partition), {
      what,
    });
    const results = response.result ?? [];
    const statuses = results.map((r) => r.statusCode);
    if (statuses.length === writes.length && statuses.every((s) => s >= 200 && s < 300)) {
      return writes.map((w, i) => ({
        journey: w.journey,
        etag: results[i]!.eTag ?? '',
        createdAt: bodies[i]!.createdAt,
        updatedAt: now,
      }));
    }
    const failed = statuses.findIndex((s) => s !== 424 && (s < 200 || s >= 300));
    const failedJourney = writes[failed]?.journey ?? writes[0]!.journey;
    const label = `journey ${failedJourney.id} version ${failedJourney.version}`;
    const status = statuses[failed];
    if (status === 409) throw new ConflictError(`The ${label} exists already.`, { code: 'journey-exists' });
    if (status === 412 || status === 404) {
      throw new PreconditionFailedError(`The ${label} has changed meanwhile; read it again and retry.`);
    }
    throw new Error(`Writing ${what} failed with statuses ${statuses.join(', ')}.`);
  }

  async #queryAll(sql: string, params: Record<string, string>): Promise<StoredJourney[]> {
    const found: StoredJourney[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query(sql, params, {
        partitionKey: partition,
        ...(continuationToken !== undefined ? { continuationToken } : {}),
      });
      found.push(...page.items.map(storedOf));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
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

function asJson(value: unknown): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
