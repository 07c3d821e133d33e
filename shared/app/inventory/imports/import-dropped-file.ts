import { createHash } from 'crypto';
import { inventoryImportsContainer } from '../../../ports/binding-names';
import type { ImportReport } from '../../../ports/inventory-imports';
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
  const path = typeof metadata.blobTrigger === 'string' ? metadata.blobTrigger : '';
  const name =
    typeof metadata.name === 'string' ? metadata.name : path.slice(inventoryImportsContainer.length + 1);
  const content = Buffer.isBuffer(blob)
    ? blob
    : Buffer.from(typeof blob === 'string' ? blob : JSON.stringify(blob));
  const etag = etagOf(metadata.properties) ?? '';
  // Without an ETag (not seen in Azure or the local host), the content identifies the version.
  const key = importFileKey(name, etag || content.toString('base64'));
  return { ...(await importInventoryFile(deps, { name, etag, key, content })), name };
}

/** The blob's ETag from the trigger's `properties` (its key's casing differs between hosts). */
function etagOf(properties: unknown): string | undefined {
  if (typeof properties !== 'object' || properties === null) return undefined;
  for (const [key, value] of Object.entries(properties)) {
    if (key.toLowerCase() === 'etag' && typeof value === 'string') return value.replace(/"/g, '');
  }
  return undefined;
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
