import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import { sourceFromInput, type Geocoder, type Source } from '../../domain/fulfillment/source';
import type { Clock } from '../../ports/clock';
import type { SourceRepository, VersionedSource } from '../../ports/sources';
import { collectIssues } from '../versioned-resources/collect-issues';
import { putVersioned, type WritePreconditions } from '../versioned-resources/put-versioned';
import type { SourceValidators } from '../../ports/validators';

export interface SourceDeps {
  validators: SourceValidators;
  sources: SourceRepository;
}

export interface PutSourceDeps extends SourceDeps {
  clock: Clock;
  geocode: Geocoder;
}

export interface PutSourceResult extends VersionedSource {
  created: boolean;
}

/**
 * Creates or replaces a source (`PUT /api/v1/sources/{sourceId}`). Its location is the one given or
 * the postal code's, geocoded offline; an address that does not geocode is refused, never placed at 0,0.
 */
export async function putSource(
  deps: PutSourceDeps,
  rawId: string,
  body: unknown,
  preconditions: WritePreconditions = {}
): Promise<PutSourceResult> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ sourceId: rawId }).sourceId, issues);
  const input = collectIssues(() => deps.validators.body(body), issues);
  if (id === undefined || input === undefined) throw new ValidationError('The source is not valid.', issues);
  const { sources } = deps;
  const result = await putVersioned<Source>(
    {
      get: async (key) => {
        const found = await sources.get(key);
        return found && { value: found.source, etag: found.etag };
      },
      create: async (source) => {
        const stored = await sources.create(source);
        return { value: stored.source, etag: stored.etag };
      },
      replace: async (source, etag) => {
        const stored = await sources.replace(source, etag);
        return { value: stored.source, etag: stored.etag };
      },
    },
    id,
    `Source ${id}`,
    (existing) => sourceFromInput(id, input, existing, deps.geocode, deps.clock.now()),
    preconditions
  );
  return { source: result.value, etag: result.etag, created: result.created };
}

/** One source with its version; NotFoundError (`source-not-found`) when the id is unknown. */
export async function getSource(deps: SourceDeps, rawId: string): Promise<VersionedSource> {
  const id = deps.validators.route({ sourceId: rawId }).sourceId;
  const found = await deps.sources.get(id);
  if (found === undefined) throw new NotFoundError(`No source ${id}.`, { code: 'source-not-found' });
  return found;
}
