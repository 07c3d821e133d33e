import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import { validatePolicy, type Policy } from '../../domain/policies';
import type { Clock } from '../../ports/clock';
import { nowIso } from '../../ports/clock';
import type { PolicyRepository, PolicyWrite, StoredPolicy } from '../../ports/policies';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type Stored } from './document-store';

/** The partition of the `config` container (partition key `/kind`) that holds every policy version. */
const partition = 'policy';

/**
 * A policy version as stored. The policy's own `id` and `kind` would collide with the document id and
 * the container's partition key, so they are stored as `policyId` and `policyKind`.
 */
interface PolicyDocument {
  /** `policy:{policyId}:{version}`. */
  id: string;
  type: 'policy';
  kind: typeof partition;
  policyId: string;
  policyKind: Policy['kind'];
  name: string;
  entityType: Policy['entityType'];
  criticality: Policy['criticality'];
  rule: Policy['rule'];
  actions?: Policy['actions'];
  version: number;
  status: Policy['status'];
  createdAt?: string;
  updatedAt?: string;
}

/** Policy versions in `config`: all in one partition, so a publish (two versions) is one transactional batch. */
export class CosmosPolicyRepository implements PolicyRepository {
  readonly #store: DocumentStore<PolicyDocument>;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#store = new DocumentStore<PolicyDocument>(container, '/kind', clock);
  }

  async versions(policyId: string): Promise<StoredPolicy[]> {
    return this.#queryAll("SELECT * FROM c WHERE c.type = 'policy' AND c.policyId = @policyId", {
      policyId,
    });
  }

  async all(): Promise<StoredPolicy[]> {
    return this.#queryAll("SELECT * FROM c WHERE c.type = 'policy'", {});
  }

  async write(writes: readonly PolicyWrite[]): Promise<StoredPolicy[]> {
    if (writes.length === 0) return [];
    const now = nowIso(this.clock);
    const bodies = writes.map((w) => ({
      ...documentOf(w.policy),
      createdAt: w.createdAt ?? now,
      updatedAt: now,
    }));
    const operations: OperationInput[] = writes.map((w, i) =>
      w.etag === undefined
        ? { operationType: 'Create', resourceBody: asJson(bodies[i]) }
        : { operationType: 'Replace', id: bodies[i]!.id, ifMatch: w.etag, resourceBody: asJson(bodies[i]) }
    );
    const what = `config/${documentIdOf(writes[0]!.policy)}`;
    const response = await withCosmosErrors(() => this.container.items.batch(operations, partition), {
      what,
    });
    const results = response.result ?? [];
    const statuses = results.map((r) => r.statusCode);
    if (statuses.length === writes.length && statuses.every((s) => s >= 200 && s < 300)) {
      return writes.map((w, i) => ({
        policy: w.policy,
        etag: results[i]!.eTag ?? '',
        createdAt: bodies[i]!.createdAt,
        updatedAt: now,
      }));
    }
    const failed = statuses.findIndex((s) => s !== 424 && (s < 200 || s >= 300));
    const failedPolicy = writes[failed]?.policy ?? writes[0]!.policy;
    const label = `policy ${failedPolicy.id} version ${failedPolicy.version}`;
    const status = statuses[failed];
    if (status === 409) throw new ConflictError(`The ${label} exists already.`, { code: 'policy-exists' });
    if (status === 412 || status === 404) {
      throw new PreconditionFailedError(`The ${label} has changed meanwhile; read it again and retry.`);
    }
    throw new Error(`Writing ${what} failed with statuses ${statuses.join(', ')}.`);
  }

  async #queryAll(sql: string, params: Record<string, string>): Promise<StoredPolicy[]> {
    const found: StoredPolicy[] = [];
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
        (a.policy.id < b.policy.id ? -1 : a.policy.id > b.policy.id ? 1 : 0) ||
        a.policy.version - b.policy.version
    );
  }
}

export function documentIdOf(policy: Pick<Policy, 'id' | 'version'>): string {
  return `policy:${policy.id}:${policy.version}`;
}

function documentOf(policy: Policy): PolicyDocument {
  const { id, kind, ...rest } = policy;
  return {
    ...rest,
    id: documentIdOf(policy),
    type: 'policy',
    kind: partition,
    policyId: id,
    policyKind: kind,
  };
}

/** The stored document back as a validated policy: storage fields are dropped before validating. */
function storedOf(doc: Stored<PolicyDocument>): StoredPolicy {
  const {
    id: _id,
    type: _type,
    kind: _kind,
    _etag,
    _ts,
    createdAt,
    updatedAt,
    policyId,
    policyKind,
    ...rest
  } = doc;
  const policy = validatePolicy({ ...rest, id: policyId, kind: policyKind });
  return { policy, etag: _etag, createdAt: createdAt ?? '', updatedAt: updatedAt ?? '' };
}

function asJson(value: unknown): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
