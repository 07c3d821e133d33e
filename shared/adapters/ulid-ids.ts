import { monotonicFactory } from 'ulid';
import type { IdGenerator } from '../ports/orders';

/** ULIDs (DESIGN §3): sortable by creation time, unique without coordination. */
export function ulidIds(): IdGenerator {
  const next = monotonicFactory();
  return { newId: () => next() };
}
