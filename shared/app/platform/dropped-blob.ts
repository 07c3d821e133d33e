/** A blob trigger's delivery of a dropped file: its name in the container, its version's ETag, its bytes. */
export interface DroppedBlob {
  name: string;
  etag: string;
  content: Buffer;
}

/**
 * Reads a blob trigger's delivery: the name from the trigger's `name` (else its path without the
 * container), the ETag from its `properties` (whose key's casing differs between hosts), the bytes.
 */
export function droppedBlobOf(
  blob: unknown,
  metadata: Record<string, unknown>,
  container: string
): DroppedBlob {
  const path = typeof metadata.blobTrigger === 'string' ? metadata.blobTrigger : '';
  const name = typeof metadata.name === 'string' ? metadata.name : path.slice(container.length + 1);
  const content = Buffer.isBuffer(blob)
    ? blob
    : Buffer.from(typeof blob === 'string' ? blob : JSON.stringify(blob));
  return { name, etag: etagOf(metadata.properties) ?? '', content };
}

function etagOf(properties: unknown): string | undefined {
  if (typeof properties !== 'object' || properties === null) return undefined;
  for (const [key, value] of Object.entries(properties)) {
    if (key.toLowerCase() === 'etag' && typeof value === 'string') return value.replace(/"/g, '');
  }
  return undefined;
}
