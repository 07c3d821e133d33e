import { createHash } from 'crypto';
import { inventoryImportsContainer } from '../../../ports/binding-names';
import type { ImportReport } from '../../../ports/inventory-imports';
import { droppedBlobOf } from '../../platform/dropped-blob';
import { importInventoryFile, type ImportInventoryFileDeps } from './import-inventory-file';

/**
 * A blob trigger's delivery of a dropped file, as importInventoryFile takes it: the name (from the
 * trigger's `name`, else its path), the version's ETag, a key of (name, ETag), and the bytes.
 */
export async function importDroppedFile(
  deps: ImportInventoryFileDeps,
  blob: unknown,
  metadata: Record<string, unknown>
): Promise<ImportReport & { name: string }> {
  const { name, etag, content } = droppedBlobOf(blob, metadata, inventoryImportsContainer);
  // Without an ETag (not seen in Azure or the local host), the content identifies the version.
  const key = importFileKey(name, etag || content.toString('base64'));
  return { ...(await importInventoryFile(deps, { name, etag, key, content })), name };
}

/**
 * A short key of a file version for derived change ids: the same blob name and ETag give the same
 * key (so a re-run applies nothing twice), a new upload gets a new one. Hex, so it is safe in ids.
 */
export function importFileKey(name: string, etag: string): string {
  const digest = createHash('sha256')
    .update(`${name}\n${etag.replace(/"/g, '')}`)
    .digest('hex');
  return `file-${digest.slice(0, 24)}`;
}
