import type { Source } from '../domain/fulfillment/source';

/** A source with the version it was read or written at (the storage ETag, opaque). */
export interface VersionedSource {
  source: Source;
  etag: string;
}

/** Sources in the catalog (master data, docs/data.md), one partition each (`source:{id}`). */
export interface SourceRepository {
  get(id: string): Promise<VersionedSource | undefined>;
  /** Every source, ordered by id (a catalog holds hundreds, not millions). */
  list(): Promise<Source[]>;
  /** Stores a new source; ConflictError when the id exists. */
  create(source: Source): Promise<VersionedSource>;
  /** Overwrites the source if still at `etag`: PreconditionFailedError otherwise, NotFoundError when gone. */
  replace(source: Source, etag: string): Promise<VersionedSource>;
}
