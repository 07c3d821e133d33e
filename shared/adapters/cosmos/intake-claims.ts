import type { Container, OperationInput } from '@azure/cosmos';
import { createHash } from 'crypto';
import { ConflictError } from '../../domain/errors';
import { nowIso, type Clock } from '../../ports/clock';
import type { IntakeClaims } from '../../ports/orders';
import { GroupCommit, type ItemOutcome } from '../group-commit';
import { cosmosStatusOf, translateCosmosError, withCosmosErrors } from './cosmos-errors';
import { DocumentStore } from './document-store';

interface ClaimDocument {
  id: string;
  type: 'intake-claim';
  key: string;
  idempotencyKey: string;
  orderId: string;
  /** Seconds; the `intake` container expires idempotency records (docs/data.md). */
  ttl: number;
}

const retentionSeconds = 7 * 24 * 3600;
/** The most operations one Cosmos bulk request takes. */
const maxClaimsPerRequest = 100;

type Created = 'created' | 'exists';

/**
 * Idempotency records in the `intake` container. Creating the record is the claim: Cosmos lets
 * exactly one create of an id succeed, so concurrent duplicates all learn the same order id.
 *
 * The creates are a group commit (GroupCommit): claims that arrive while one request is in flight go
 * together in the next, as one bulk request of independent creates, so a busy intake pays one round
 * trip for many claims rather than one each.
 */
export class CosmosIntakeClaims implements IntakeClaims {
  readonly #store: DocumentStore<ClaimDocument>;
  readonly #creates = new GroupCommit<ClaimDocument, Created>(
    (docs) => this.#createAll(docs),
    (waiting) => Math.min(waiting.length, maxClaimsPerRequest)
  );

  constructor(
    private readonly container: Container,
    private readonly clock: Clock
  ) {
    this.#store = new DocumentStore<ClaimDocument>(container, '/key', clock);
  }

  async claim(idempotencyKey: string, orderId: string) {
    const { id, key } = locate(idempotencyKey);
    const doc: ClaimDocument = {
      id,
      type: 'intake-claim',
      key,
      idempotencyKey,
      orderId,
      ttl: retentionSeconds,
    };
    if ((await this.#creates.submit(doc)) === 'created') return { orderId, duplicate: false };
    const existing = await this.#store.get(id, key);
    return { orderId: existing.orderId, duplicate: true };
  }

  /** A lone claim is a plain create; a group is one bulk request in which each create stands alone. */
  async #createAll(docs: readonly ClaimDocument[]): Promise<ItemOutcome<Created>[]> {
    if (docs.length === 1) {
      try {
        await this.#store.create(docs[0]!);
        return [{ ok: true, value: 'created' }];
      } catch (err) {
        return [err instanceof ConflictError ? { ok: true, value: 'exists' } : { ok: false, error: err }];
      }
    }
    const now = nowIso(this.clock);
    const results = await withCosmosErrors(
      () =>
        this.container.items.executeBulkOperations(
          docs.map((doc): OperationInput => ({
            operationType: 'Create',
            partitionKey: doc.key,
            resourceBody: { ...doc, createdAt: now, updatedAt: now },
          }))
        ),
      { what: `${this.container.id} (${docs.length} claims)` }
    );
    return docs.map((doc, i): ItemOutcome<Created> => {
      const result = results[i];
      const status = result?.response?.statusCode ?? cosmosStatusOf(result?.error);
      if (status === 201) return { ok: true, value: 'created' };
      if (status === 409) return { ok: true, value: 'exists' };
      const what = `${this.container.id}/${doc.id}`;
      return {
        ok: false,
        error: translateCosmosError(result?.error ?? new Error(`Claiming ${what} answered ${status}.`), what),
      };
    });
  }
}

/** Keys are client text: hashed, so any characters are safe as a Cosmos id. */
function locate(idempotencyKey: string): { id: string; key: string } {
  const id = createHash('sha256').update(idempotencyKey).digest('hex');
  return { id, key: `idempotency:${id}` };
}
