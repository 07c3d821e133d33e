import type { Container } from '@azure/cosmos';
import type { AlertRule } from '../../domain/alerts/alert-rule';
import { NotFoundError } from '../../domain/errors';
import type { AlertRuleRepository } from '../../ports/alerts';
import type { Clock } from '../../ports/clock';
import { DocumentStore, type Stored } from './document-store';

/** The partition of the `config` container (partition key `/kind`) holding every alert rule. */
const partition = 'alert-rule';

interface AlertRuleDocument {
  /** `alert-rule:{id}`. */
  id: string;
  type: typeof partition;
  kind: typeof partition;
  rule: AlertRule;
  createdAt?: string;
  updatedAt?: string;
}

/** Alert rules in `config`, all in one partition (a handful per tenant, read on every evaluation). */
export class CosmosAlertRuleRepository implements AlertRuleRepository {
  readonly #store: DocumentStore<AlertRuleDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<AlertRuleDocument>(container, '/kind', clock);
  }

  async get(id: string): Promise<AlertRule | undefined> {
    return (await this.#store.read(documentIdOf(id), partition))?.rule;
  }

  async list(): Promise<AlertRule[]> {
    const rules: AlertRule[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.#store.query<Stored<AlertRuleDocument>>(
        `SELECT * FROM c WHERE c.kind = '${partition}' AND c.type = '${partition}'`,
        {},
        { partitionKey: partition, ...(continuationToken === undefined ? {} : { continuationToken }) }
      );
      rules.push(...page.items.map((doc) => doc.rule));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(rule: AlertRule): Promise<void> {
    await this.#store.upsert({
      id: documentIdOf(rule.id),
      type: partition,
      kind: partition,
      rule,
      createdAt: rule.createdAt,
    });
  }

  async delete(id: string): Promise<boolean> {
    const doc = await this.#store.read(documentIdOf(id), partition);
    if (doc === undefined) return false;
    try {
      await this.#store.deleteIfMatch(doc.id, partition, doc._etag);
    } catch (err) {
      // Deleted meanwhile by another call: gone either way.
      if (!(err instanceof NotFoundError)) throw err;
    }
    return true;
  }
}

function documentIdOf(id: string): string {
  return `${partition}:${id}`;
}
