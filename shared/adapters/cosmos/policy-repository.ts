import type { Container } from '@azure/cosmos';
import { validatePolicy, type Policy } from '../../domain/policies';
import type { Clock } from '../../ports/clock';
import { nowIso } from '../../ports/clock';
import type { PolicyRepository, PolicyWrite, StoredPolicy } from '../../ports/policies';
import { queryAllVersions, writeVersions } from './config-versions';
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
    const etags = await writeVersions(
      this.container,
      partition,
      writes.map((w, i) => ({
        body: bodies[i]!,
        ...(w.etag === undefined ? {} : { etag: w.etag }),
        label: `policy ${w.policy.id} version ${w.policy.version}`,
      })),
      'policy-exists'
    );
    return writes.map((w, i) => ({
      policy: w.policy,
      etag: etags[i]!,
      createdAt: bodies[i]!.createdAt,
      updatedAt: now,
    }));
  }

  async #queryAll(sql: string, params: Record<string, string>): Promise<StoredPolicy[]> {
    const found = (await queryAllVersions(this.#store, partition, sql, params)).map(storedOf);
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
