import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../domain/errors';
import {
  builtInStrategy,
  strategyFromInput,
  type FulfillmentStrategy,
} from '../../domain/fulfillment/strategy';
import type { Clock } from '../../ports/clock';
import type {
  StrategyRepository,
  StrategyWrite,
  VersionedStrategy,
} from '../../ports/fulfillment-strategies';
import type { SourceListRepository } from '../../ports/source-lists';
import { collectIssues } from '../versioned-resources/collect-issues';
import { conditionMatches, type EntityTagCondition } from '../versioned-resources/entity-tags';
import {
  changedConcurrently,
  checkPreconditions,
  type WritePreconditions,
} from '../versioned-resources/put-versioned';
import type { StrategyValidators } from '../../ports/validators';

export interface StrategyDeps {
  validators: StrategyValidators;
  strategies: StrategyRepository;
}

export interface PutStrategyDeps extends StrategyDeps {
  sourceLists: SourceListRepository;
  clock: Clock;
}

export interface PutStrategyResult extends VersionedStrategy {
  created: boolean;
}

/** Unconditional writes that keep losing races give up after this many tries (409). */
const maxAttempts = 5;

/**
 * `PUT /api/v1/fulfillment/strategies/{id}`. Exactly one strategy is the default: the first one
 * stored becomes it whatever it says; making another the default unsets the previous one in the same
 * transactional batch; unsetting the default is refused (409 `default-strategy-required`) — make
 * another one the default instead. The source list and the alternate strategy must exist (400).
 */
export async function putStrategy(
  deps: PutStrategyDeps,
  rawId: string,
  body: unknown,
  preconditions: WritePreconditions = {}
): Promise<PutStrategyResult> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ id: rawId }).id, issues);
  const input = collectIssues(() => deps.validators.body(body), issues);
  if (id === undefined || input === undefined)
    throw new ValidationError('The strategy is not valid.', issues);
  if (input.sourceListId !== undefined && (await deps.sourceLists.get(input.sourceListId)) === undefined) {
    issues.push({ path: '/sourceListId', message: `source list ${input.sourceListId} does not exist` });
  }
  const what = `Strategy ${id}`;
  const retryable =
    (preconditions.ifMatch === undefined || preconditions.ifMatch.any) &&
    preconditions.ifNoneMatch === undefined;
  for (let attempt = 1; ; attempt++) {
    const all = await deps.strategies.list();
    const existing = all.find((s) => s.strategy.id === id);
    checkPreconditions(what, preconditions, existing?.etag);
    const alternate = input.alternateStrategyId;
    if (alternate !== undefined && alternate !== id && !all.some((s) => s.strategy.id === alternate)) {
      issues.push({ path: '/alternateStrategyId', message: `strategy ${alternate} does not exist` });
    }
    if (issues.length > 0) throw new ValidationError('The strategy is not valid.', issues);
    const writes = defaultWrites(
      strategyFromInput(id, input, existing?.strategy, deps.clock.now()),
      existing,
      all,
      deps.clock.now()
    );
    try {
      const [stored] = await deps.strategies.write(writes);
      return { ...stored!, created: existing === undefined };
    } catch (err) {
      const raced =
        err instanceof ConflictError ||
        err instanceof PreconditionFailedError ||
        err instanceof NotFoundError;
      if (!raced) throw err;
      if (!retryable) throw changedConcurrently(what);
      if (attempt >= maxAttempts) {
        throw new ConflictError(`${what} is being changed by others; try again.`, { cause: err });
      }
    }
  }
}

/**
 * The writes that store `strategy` while keeping exactly one default: the strategy itself first,
 * then the previous default it replaces (unset, at the version read).
 */
export function defaultWrites(
  strategy: FulfillmentStrategy,
  existing: VersionedStrategy | undefined,
  all: readonly VersionedStrategy[],
  now: Date
): StrategyWrite[] {
  const previous = all.find((s) => s.strategy.id !== strategy.id && s.strategy.isDefault);
  const write: StrategyWrite = { strategy, ...(existing === undefined ? {} : { etag: existing.etag }) };
  if (!strategy.isDefault) {
    if (existing?.strategy.isDefault === true) {
      throw new ConflictError(
        `Strategy ${strategy.id} is the default; make another strategy the default instead of unsetting it.`,
        { code: 'default-strategy-required' }
      );
    }
    // No default anywhere (the very first strategy): this one becomes it.
    if (previous === undefined) return [{ ...write, strategy: { ...strategy, isDefault: true } }];
    return [write];
  }
  if (previous === undefined) return [write];
  const unset = { ...previous.strategy, isDefault: false, updatedAt: now.toISOString() };
  return [write, { strategy: unset, etag: previous.etag }];
}

export async function getStrategy(deps: StrategyDeps, rawId: string): Promise<VersionedStrategy> {
  const id = deps.validators.route({ id: rawId }).id;
  const found = await deps.strategies.get(id);
  if (found === undefined) throw strategyNotFound(id);
  return found;
}

/**
 * `DELETE /api/v1/fulfillment/strategies/{id}`: the default cannot be deleted (409
 * `default-strategy-required`), nor a strategy another one names as its alternate (409
 * `strategy-in-use`); If-Match honoured.
 */
export async function deleteStrategy(
  deps: StrategyDeps,
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<void> {
  const found = await getStrategy(deps, rawId);
  const { id } = found.strategy;
  if (ifMatch !== undefined && !conditionMatches(ifMatch, found.etag, 'strong'))
    throw changedConcurrently(`Strategy ${id}`);
  if (found.strategy.isDefault) {
    throw new ConflictError(`Strategy ${id} is the default; make another strategy the default first.`, {
      code: 'default-strategy-required',
    });
  }
  const users = (await deps.strategies.list()).filter((s) => s.strategy.alternateStrategyId === id);
  if (users.length > 0) {
    const strategyIds = users.map((s) => s.strategy.id);
    throw new ConflictError(`Strategy ${id} is the alternate of ${strategyIds.join(', ')}.`, {
      code: 'strategy-in-use',
      extensions: { strategyIds },
    });
  }
  await deps.strategies.delete(id, found.etag);
}

/**
 * The strategy a plan uses: the one named (404 `strategy-not-found` when unknown), else the stored
 * default, else the built-in one (nearest sources, no constraints).
 */
export async function strategyForPlanning(
  strategies: StrategyRepository,
  strategyId: string | undefined
): Promise<FulfillmentStrategy> {
  if (strategyId !== undefined) {
    const found = await strategies.get(strategyId);
    if (found === undefined) throw strategyNotFound(strategyId);
    return found.strategy;
  }
  const stored = (await strategies.list()).find((s) => s.strategy.isDefault);
  return stored?.strategy ?? builtInStrategy;
}

export function strategyNotFound(id: string): NotFoundError {
  return new NotFoundError(`No fulfillment strategy ${id}.`, { code: 'strategy-not-found' });
}
