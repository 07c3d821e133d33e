import { ConflictError, PreconditionFailedError } from '../../../shared/domain/errors';
import type { PolicyRepository, PolicyWrite, StoredPolicy } from '../../../shared/ports/policies';

/** Policy versions in memory, with the adapter's contract: atomic writes, ETag-checked replaces. */
export class InMemoryPolicyRepository implements PolicyRepository {
  readonly docs = new Map<string, StoredPolicy>();
  #etags = 0;
  /** Runs before each write, to simulate a concurrent writer. */
  beforeWrite: (() => void) | undefined;

  async versions(policyId: string): Promise<StoredPolicy[]> {
    return (await this.all()).filter((s) => s.policy.id === policyId);
  }

  all(): Promise<StoredPolicy[]> {
    const sorted = [...this.docs.values()].sort(
      (a, b) => a.policy.id.localeCompare(b.policy.id) || a.policy.version - b.policy.version
    );
    return Promise.resolve(sorted.map((s) => structuredClone(s)));
  }

  write(writes: readonly PolicyWrite[]): Promise<StoredPolicy[]> {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    hook?.();
    for (const w of writes) {
      const current = this.docs.get(keyOf(w));
      if (w.etag === undefined && current !== undefined) throw new ConflictError('exists');
      if (w.etag !== undefined && current?.etag !== w.etag) throw new PreconditionFailedError('changed');
    }
    return Promise.resolve(
      writes.map((w) => {
        const stored = {
          policy: structuredClone(w.policy),
          etag: `e${++this.#etags}`,
          createdAt: w.createdAt ?? '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-02T00:00:00.000Z',
        };
        this.docs.set(keyOf(w), stored);
        return stored;
      })
    );
  }
}

function keyOf(w: PolicyWrite): string {
  return `${w.policy.id}:${w.policy.version}`;
}
