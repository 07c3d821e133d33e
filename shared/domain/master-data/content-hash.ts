import { createHash } from 'crypto';
import stringify from 'safe-stable-stringify';

/**
 * A digest of what a master-data record says, without its timestamps: the same content gives the
 * same hash whatever the key order or when it was written, so an import writes only what changed.
 */
export function contentHash(value: object): string {
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...content } = value as Record<string, unknown>;
  return createHash('sha256')
    .update(stringify(content) ?? '')
    .digest('base64url');
}
