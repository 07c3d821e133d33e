import type { Container } from '@azure/cosmos';
import { createHash } from 'crypto';
import { ConflictError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { IntakeClaims } from '../../ports/orders';
import { DocumentStore } from './document-store';

interface ClaimDocument {
  id: string;
  type: 'intake-claim';
  key: string;
  idempotencyKey: string;
  orderId: string;
  /** Seconds; the `intake` container expires idempotency records (DESIGN §3). */
  ttl: number;
}

const retentionSeconds = 7 * 24 * 3600;

/**
 * Idempotency records in the `intake` container. Creating the record is the claim: Cosmos lets
 * exactly one create of an id succeed, so concurrent duplicates all learn the same order id.
 */
export class CosmosIntakeClaims implements IntakeClaims {
  readonly #store: DocumentStore<ClaimDocument>;

  constructor(container: Container, clock: Clock) {
    this.#store = new DocumentStore<ClaimDocument>(container, '/key', clock);
  }

  async claim(idempotencyKey: string, orderId: string) {
    const { id, key } = locate(idempotencyKey);
    try {
      await this.#store.create({
        id,
        type: 'intake-claim',
        key,
        idempotencyKey,
        orderId,
        ttl: retentionSeconds,
      });
      return { orderId, duplicate: false };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const existing = await this.#store.get(id, key);
      return { orderId: existing.orderId, duplicate: true };
    }
  }
}

/** Keys are client text: hashed, so any characters are safe as a Cosmos id. */
function locate(idempotencyKey: string): { id: string; key: string } {
  const id = createHash('sha256').update(idempotencyKey).digest('hex');
  return { id, key: `idempotency:${id}` };
}
