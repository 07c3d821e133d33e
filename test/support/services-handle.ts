import type { EmbeddedServices } from '@openiom/local-functions-host';

/** Where global setup leaves the running services for global teardown (same process). */
export const SERVICES_HANDLE = Symbol.for('openiom.testServices');

export interface TestServicesHandle {
  services: EmbeddedServices;
  dataDir: string;
}
