import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { IdGenerator } from '../ports/orders';

/** ULIDs (docs/data.md): sortable by creation time, unique without coordination. */
export function ulidIds(): IdGenerator {
  const next = monotonicFactory(pooledRandom());
  return { newId: () => next() };
}

const poolBytes = 4096;

/**
 * The library's default draws each of an id's 16 random characters with its own crypto call; the
 * same cryptographic bytes (one per draw, over 256, as the default does) come from a pool here,
 * refilled with one call per 4096 draws.
 */
function pooledRandom(): () => number {
  let pool = randomBytes(poolBytes);
  let at = 0;
  return () => {
    if (at === poolBytes) {
      pool = randomBytes(poolBytes);
      at = 0;
    }
    return pool[at++]! / 256;
  };
}
