import type { BlockBlobClient } from '@azure/storage-blob';

/**
 * Runs `work` holding a lease on `blob` (created empty if missing), renewed while it runs and
 * released after; `{ leased: false }` without running it when another holder has the lease. This
 * is how hosts sharing one storage account agree on who fires a blob version or a timer occurrence,
 * as the Functions host does with its receipts and singleton locks.
 */
export async function withBlobLease<T>(
  blob: BlockBlobClient,
  leaseSeconds: number,
  work: (leaseId: string) => Promise<T>
): Promise<{ leased: true; result: T } | { leased: false }> {
  await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch((err: unknown) => {
    // 409: it exists; 412: it exists and is leased.
    if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
  });
  const lease = blob.getBlobLeaseClient();
  try {
    await lease.acquireLease(leaseSeconds);
  } catch (err) {
    if (statusOf(err) === 409) return { leased: false };
    throw err;
  }
  const renewal = setInterval(
    () => void lease.renewLease().catch(() => undefined),
    (leaseSeconds * 1000) / 3
  );
  try {
    return { leased: true, result: await work(lease.leaseId) };
  } finally {
    clearInterval(renewal);
    await lease.releaseLease().catch(() => undefined);
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number } | null)?.statusCode;
}
