import type { Container } from '@azure/cosmos';
import type { Alert, AlertState } from '../../domain/alerts/alert';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import type { AlertRepository } from '../../ports/alerts';
import type { Clock } from '../../ports/clock';
import type { Page } from '../../ports/orders';
import { DocumentStore, type Stored } from './document-store';

/** The partition of the `jobs` container (partition key `/kind`) holding every alert. */
const partition = 'alert';

type AlertDocument = Alert & { kind: typeof partition };

/** Raised alerts in `jobs`, one partition: listing and filtering them is a single-partition query. */
export class CosmosAlertRepository implements AlertRepository {
  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {}

  async create(alert: Alert): Promise<'created' | 'exists'> {
    try {
      await this.#writer(alert).create({ ...alert, kind: partition });
      return 'created';
    } catch (err) {
      if (err instanceof ConflictError) return 'exists';
      throw err;
    }
  }

  async get(id: string): Promise<{ alert: Alert; etag: string } | undefined> {
    const doc = await this.#reader().read(id, partition);
    if (doc === undefined || doc.type !== 'alert') return undefined;
    return { alert: plain(doc), etag: doc._etag };
  }

  async replaceIfMatch(alert: Alert, etag: string): Promise<string | undefined> {
    try {
      return await this.#writer(alert).replaceIfMatch({ ...alert, kind: partition }, etag);
    } catch (err) {
      if (err instanceof PreconditionFailedError) return undefined;
      throw err;
    }
  }

  async find(
    filter: { state?: AlertState; ruleId?: string; entityId?: string },
    page: { continuationToken?: string; maxItemCount: number }
  ): Promise<Page<Alert>> {
    // The kind clause repeats the partition key: not every Cosmos-protocol server scopes a query by it.
    const clauses = ["c.type = 'alert'", 'c.kind = @kind'];
    const params: Record<string, string> = { '@kind': partition };
    for (const field of ['state', 'ruleId', 'entityId'] as const) {
      const value = filter[field];
      if (value === undefined) continue;
      clauses.push(`c.${field} = @${field}`);
      params[`@${field}`] = value;
    }
    const result = await this.#reader().query(
      `SELECT * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.raisedAt DESC`,
      params,
      {
        partitionKey: partition,
        maxItemCount: page.maxItemCount,
        ...(page.continuationToken === undefined ? {} : { continuationToken: page.continuationToken }),
      }
    );
    const items = result.items.map(plain);
    return result.continuationToken === undefined
      ? { items }
      : { items, continuationToken: result.continuationToken };
  }

  #reader(): DocumentStore<AlertDocument> {
    return new DocumentStore<AlertDocument>(this.container, '/kind', this.clock);
  }

  /** A store whose clock stands at the alert's own time: the use case chose the timestamps. */
  #writer(alert: Alert): DocumentStore<AlertDocument> {
    const at = new Date(alert.updatedAt);
    return new DocumentStore<AlertDocument>(this.container, '/kind', { now: () => at });
  }
}

function plain(doc: Stored<AlertDocument>): Alert {
  const { _etag: _e, _ts: _t, kind: _k, ...alert } = doc;
  return alert;
}
