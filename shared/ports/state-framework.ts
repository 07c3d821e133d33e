import type { CustomStateFrameworkConfig } from '../domain/states/merge-config';

/** The user's part of the state framework, one document, guarded by its ETag. */
export interface StateFrameworkStore {
  read(): Promise<{ custom: CustomStateFrameworkConfig; etag?: string }>;
  /** Replaces it if `etag` still matches (any when undefined); PreconditionFailedError otherwise. */
  write(custom: CustomStateFrameworkConfig, etag: string | undefined): Promise<string>;
}
