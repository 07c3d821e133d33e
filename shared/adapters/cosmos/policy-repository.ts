import type { Container } from '@azure/cosmos';
import { validatePolicy, type Policy } from '../../domain/policies';
import type { Clock } from '../../ports/clock';
import type { PolicyRepository, PolicyWrite, StoredPolicy } from '../../ports/policies';
import { ConfigVersions, type StoredVersion } from './config-versions';
import type { Stored } from './document-store';

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

/** Policy versions in `config` (ConfigVersions: one partition, atomic publishes). */
export class CosmosPolicyRepository implements PolicyRepository {
  readonly #versions: ConfigVersions<Policy, PolicyDocument>;

  constructor(container: Container, clock: Clock) {
    this.#versions = new ConfigVersions(container, clock, {
      kind: partition,
      idField: 'policyId',
      documentOf,
      valueOf: policyOf,
    });
  }

  async versions(policyId: string): Promise<StoredPolicy[]> {
    return (await this.#versions.versions(policyId)).map(storedPolicy);
  }

  async all(): Promise<StoredPolicy[]> {
    return (await this.#versions.all()).map(storedPolicy);
  }

  async write(writes: readonly PolicyWrite[]): Promise<StoredPolicy[]> {
    const written = await this.#versions.write(
      writes.map(({ policy, ...rest }) => ({ value: policy, ...rest }))
    );
    return written.map(storedPolicy);
  }
}

function storedPolicy({ value, ...rest }: StoredVersion<Policy>): StoredPolicy {
  return { policy: value, ...rest };
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
function policyOf(doc: Stored<PolicyDocument>): Policy {
  const {
    id: _id,
    type: _type,
    kind: _kind,
    _etag,
    _ts,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    policyId,
    policyKind,
    ...rest
  } = doc;
  return validatePolicy({ ...rest, id: policyId, kind: policyKind });
}
