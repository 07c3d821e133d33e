import type { SourceList } from '../domain/fulfillment/source-list';

export interface VersionedSourceList {
  sourceList: SourceList;
  etag: string;
}

/** Source lists in `config` (partition `source-list`). */
export interface SourceListRepository {
  get(id: string): Promise<VersionedSourceList | undefined>;
  list(): Promise<SourceList[]>;
  /** ConflictError when the id exists. */
  create(sourceList: SourceList): Promise<VersionedSourceList>;
  /** PreconditionFailedError when no longer at `etag`, NotFoundError when gone. */
  replace(sourceList: SourceList, etag: string): Promise<VersionedSourceList>;
  delete(id: string, etag: string): Promise<void>;
}
