import type { HealthProbe } from '../../ports/health-probe';
import { pingBlobs, pingQueues, pingTables, type StorageClients } from './storage-clients';

/** One probe per storage service, so a failing report says which one is down. */
export function storageHealthProbes(getClients: () => StorageClients): HealthProbe[] {
  return [
    { name: 'storage-blob', check: () => pingBlobs(getClients()) },
    { name: 'storage-queue', check: () => pingQueues(getClients()) },
    { name: 'storage-table', check: () => pingTables(getClients()) },
  ];
}
