import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../domain/errors';
import { sourceListFromInput, type SourceList } from '../../domain/fulfillment/source-list';
import type { Clock } from '../../ports/clock';
import type { StrategyRepository } from '../../ports/fulfillment-strategies';
import type { SourceListRepository, VersionedSourceList } from '../../ports/source-lists';
import type { SourceRepository } from '../../ports/sources';
import { collectIssues } from '../versioned-resources/collect-issues';
import { conditionMatches, type EntityTagCondition } from '../versioned-resources/entity-tags';
import { putVersioned, type WritePreconditions } from '../versioned-resources/put-versioned';
import type { SourceListValidators } from '../../ports/validators';

export interface SourceListDeps {
  validators: SourceListValidators;
  sourceLists: SourceListRepository;
}

export interface PutSourceListDeps extends SourceListDeps {
  sources: SourceRepository;
  clock: Clock;
}

export interface PutSourceListResult extends VersionedSourceList {
  created: boolean;
}

/**
 * `PUT /api/v1/source-lists/{id}`: creates or replaces a list. Every source id must exist in the
 * catalog (400 at `/sourceIds/{i}` otherwise); ETags as for products and sources.
 */
export async function putSourceList(
  deps: PutSourceListDeps,
  rawId: string,
  body: unknown,
  preconditions: WritePreconditions = {}
): Promise<PutSourceListResult> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ id: rawId }).id, issues);
  const input = collectIssues(() => deps.validators.body(body), issues);
  if (id === undefined || input === undefined)
    throw new ValidationError('The source list is not valid.', issues);
  const known = new Set((await deps.sources.list()).map((s) => s.id));
  const unknown = new Set(input.sourceIds.filter((sourceId) => !known.has(sourceId)));
  const { sourceLists } = deps;
  const result = await putVersioned<SourceList>(
    {
      get: async (key) => {
        const found = await sourceLists.get(key);
        return found && { value: found.sourceList, etag: found.etag };
      },
      create: async (list) => {
        const stored = await sourceLists.create(list);
        return { value: stored.sourceList, etag: stored.etag };
      },
      replace: async (list, etag) => {
        const stored = await sourceLists.replace(list, etag);
        return { value: stored.sourceList, etag: stored.etag };
      },
    },
    id,
    `Source list ${id}`,
    (existing) => sourceListFromInput(id, input, unknown, existing, deps.clock.now()),
    preconditions
  );
  return { sourceList: result.value, etag: result.etag, created: result.created };
}

/** One list with its version; NotFoundError (`source-list-not-found`) when the id is unknown. */
export async function getSourceList(deps: SourceListDeps, rawId: string): Promise<VersionedSourceList> {
  const id = deps.validators.route({ id: rawId }).id;
  const found = await deps.sourceLists.get(id);
  if (found === undefined) throw sourceListNotFound(id);
  return found;
}

/**
 * `DELETE /api/v1/source-lists/{id}`: refused (409 `source-list-in-use`) while a strategy plans from
 * it, since that strategy could no longer plan; If-Match honoured.
 */
export async function deleteSourceList(
  deps: SourceListDeps & { strategies: StrategyRepository },
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<void> {
  const found = await getSourceList(deps, rawId);
  const id = found.sourceList.id;
  if (ifMatch !== undefined && !conditionMatches(ifMatch, found.etag, 'strong')) {
    throw new PreconditionFailedError(`Source list ${id} has changed since the version in If-Match.`);
  }
  const users = (await deps.strategies.list()).filter((s) => s.strategy.sourceListId === id);
  if (users.length > 0) {
    const strategyIds = users.map((s) => s.strategy.id);
    throw new ConflictError(`Source list ${id} is used by strategies ${strategyIds.join(', ')}.`, {
      code: 'source-list-in-use',
      extensions: { strategyIds },
    });
  }
  await deps.sourceLists.delete(id, found.etag);
}

export function sourceListNotFound(id: string): NotFoundError {
  return new NotFoundError(`No source list ${id}.`, { code: 'source-list-not-found' });
}
