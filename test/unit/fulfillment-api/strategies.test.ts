import fc from 'fast-check';
import {
  deleteStrategy,
  putStrategy,
  strategyForPlanning,
  type PutStrategyDeps,
} from '../../../shared/app/fulfillment/fulfillment-strategies';
import { parseEntityTags } from '../../../shared/app/versioned-resources/entity-tags';
import { deleteSourceList, putSourceList } from '../../../shared/app/fulfillment/source-lists';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../shared/domain/errors';
import { builtInStrategy, type StrategyInput } from '../../../shared/domain/fulfillment/strategy';
import type { SourceListInput } from '../../../shared/domain/fulfillment/source-list';
import { sourceListInputSchema, sourceListRouteSchema } from '../../../shared/schemas/source-list.schema';
import { strategyInputSchema, strategyRouteSchema } from '../../../shared/schemas/strategy.schema';
import { compileValidator } from '../../../shared/schemas/validator';
import { demoRequests } from '../../../infra/local-openiom/demo-data';
import { MemorySourceLists, MemorySources, MemoryStrategies, storedSource } from './memory-repositories';

const validators = {
  route: compileValidator<{ id: string }>(strategyRouteSchema, 'strategy id'),
  body: compileValidator<StrategyInput>(strategyInputSchema, 'strategy'),
};
const listValidators = {
  route: compileValidator<{ id: string }>(sourceListRouteSchema, 'source list id'),
  body: compileValidator<SourceListInput>(sourceListInputSchema, 'source list'),
};
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };

function deps(): PutStrategyDeps & { sources: MemorySources } {
  return {
    validators,
    strategies: new MemoryStrategies(),
    sourceLists: new MemorySourceLists(),
    sources: new MemorySources([storedSource('A', 40, -100), storedSource('B', 41, -100)]),
    clock,
  };
}

const body = (extra: Partial<StrategyInput> = {}): StrategyInput => ({
  isDefault: false,
  objective: 'distance',
  constraints: [],
  ...extra,
});

async function defaults(d: PutStrategyDeps): Promise<string[]> {
  return (await d.strategies.list()).filter((s) => s.strategy.isDefault).map((s) => s.strategy.id);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err
  );
}

it('accepts the body npm start seeds as the default strategy', async () => {
  const seeded = demoRequests().find((r) => r.path === '/api/v1/fulfillment/strategies/default')!;
  const d = deps();
  const result = await putStrategy(d, 'default', seeded.body);
  expect(result.created).toBe(true);
  expect(result.strategy).toMatchObject({
    id: 'default',
    isDefault: true,
    objective: 'distance',
    useRealInventory: true,
  });
  expect(result.strategy.constraints).toHaveLength(4);
});

it('refuses constraint values of the wrong type, and an unknown source list or alternate, with paths', async () => {
  const d = deps();
  const wrong = await failure(
    putStrategy(d, 'S', {
      ...body(),
      constraints: [
        { type: 'maxSourcesPerOrder', value: 1.5, hard: true },
        { type: 'allowPartialLine', value: 3, hard: true },
        { type: 'maxDistanceKm', value: true, hard: false },
      ],
    })
  );
  expect(wrong).toBeInstanceOf(ValidationError);
  const paths = (wrong as ValidationError).errors.map((e) => e.path);
  expect(paths).toEqual(
    expect.arrayContaining(['/constraints/0/value', '/constraints/1/value', '/constraints/2/value'])
  );

  const unknown = await failure(
    putStrategy(d, 'S', body({ sourceListId: 'NOPE', alternateStrategyId: 'OTHER' }))
  );
  expect((unknown as ValidationError).errors.map((e) => e.path)).toEqual([
    '/sourceListId',
    '/alternateStrategyId',
  ]);
  expect(await d.strategies.list()).toEqual([]);
});

it('makes the first strategy the default, moves the default in one batch, and refuses to unset or delete it', async () => {
  const d = deps();
  expect((await putStrategy(d, 'FIRST', body({ isDefault: false }))).strategy.isDefault).toBe(true);
  expect((await putStrategy(d, 'SECOND', body())).strategy.isDefault).toBe(false);
  expect(await defaults(d)).toEqual(['FIRST']);

  await putStrategy(d, 'SECOND', body({ isDefault: true }));
  expect(await defaults(d)).toEqual(['SECOND']);

  const unset = await failure(putStrategy(d, 'SECOND', body({ isDefault: false })));
  expect(unset).toBeInstanceOf(ConflictError);
  expect((unset as ConflictError).code).toBe('default-strategy-required');
  const deleted = await failure(deleteStrategy(d, 'SECOND'));
  expect((deleted as ConflictError).code).toBe('default-strategy-required');

  await deleteStrategy(d, 'FIRST');
  expect((await d.strategies.list()).map((s) => s.strategy.id)).toEqual(['SECOND']);
  expect(await failure(deleteStrategy(d, 'FIRST'))).toBeInstanceOf(NotFoundError);
});

it('honours If-Match and If-None-Match, and retries an unconditional write that raced', async () => {
  const d = deps();
  const first = await putStrategy(d, 'S', body({ isDefault: true }));
  const stale = parseEntityTags('"not-the-etag"')!;
  expect(await failure(putStrategy(d, 'S', body(), { ifMatch: stale }))).toBeInstanceOf(
    PreconditionFailedError
  );
  expect(await failure(putStrategy(d, 'S', body(), { ifNoneMatch: { any: true } }))).toBeInstanceOf(
    PreconditionFailedError
  );
  const replaced = await putStrategy(d, 'S', body({ name: 'renamed', isDefault: true }), {
    ifMatch: parseEntityTags(`"${first.etag}"`)!,
  });
  expect(replaced).toMatchObject({ created: false, strategy: { name: 'renamed', isDefault: true } });

  // Another writer gets in once between our read and our write: the write is redone on the new version.
  const strategies = d.strategies as MemoryStrategies;
  let raced = false;
  strategies.beforeWrite = () => {
    if (raced) return;
    raced = true;
    const current = strategies.rows.get('S')!;
    strategies.rows.set('S', { ...current, etag: 'someone-else' });
  };
  const again = await putStrategy(d, 'S', body({ name: 'mine', isDefault: true }));
  expect(again.strategy.name).toBe('mine');
  expect(raced).toBe(true);
});

it('keeps exactly one default whatever sequence of puts and deletes runs', async () => {
  const step = fc.record({
    op: fc.constantFrom('put' as const, 'delete' as const),
    id: fc.constantFrom('A', 'B', 'C'),
    isDefault: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const d = deps();
      for (const s of steps) {
        try {
          if (s.op === 'put') await putStrategy(d, s.id, body({ isDefault: s.isDefault }));
          else await deleteStrategy(d, s.id);
        } catch (err) {
          // Refusals are allowed (409 for the default, 404 for what is not there); nothing else is.
          if (!(err instanceof ConflictError || err instanceof NotFoundError)) throw err;
        }
        const stored = await d.strategies.list();
        expect((await defaults(d)).length).toBe(stored.length === 0 ? 0 : 1);
      }
    }),
    { numRuns: 200 }
  );
});

it('plans with the named strategy, else the stored default, else the built-in one', async () => {
  const d = deps();
  expect(await strategyForPlanning(d.strategies, undefined)).toBe(builtInStrategy);
  const missing = await failure(strategyForPlanning(d.strategies, 'NOPE'));
  expect((missing as NotFoundError).code).toBe('strategy-not-found');
  await putStrategy(d, 'D', body());
  await putStrategy(d, 'X', body({ objective: 'cost' }));
  expect((await strategyForPlanning(d.strategies, undefined)).id).toBe('D');
  expect((await strategyForPlanning(d.strategies, 'X')).objective).toBe('cost');
});

it('refuses source lists with unknown sources at their index, and deleting a list a strategy uses', async () => {
  const d = deps();
  const listDeps = { validators: listValidators, sourceLists: d.sourceLists, sources: d.sources, clock };
  const bad = await failure(putSourceList(listDeps, 'L', { name: 'list', sourceIds: ['A', 'B', 'ZZ'] }));
  expect((bad as ValidationError).errors).toEqual([
    { path: '/sourceIds/2', message: 'source ZZ does not exist' },
  ]);
  const twice = await failure(putSourceList(listDeps, 'L', { name: 'list', sourceIds: ['A', 'A'] }));
  expect(twice).toBeInstanceOf(ValidationError);

  const created = await putSourceList(listDeps, 'L', { name: 'list', sourceIds: ['B', 'A'] });
  expect(created).toMatchObject({ created: true, sourceList: { id: 'L', sourceIds: ['B', 'A'] } });
  await putStrategy(d, 'USES-L', body({ isDefault: true, sourceListId: 'L' }));
  const inUse = await failure(deleteSourceList({ ...listDeps, strategies: d.strategies }, 'L'));
  expect((inUse as ConflictError).code).toBe('source-list-in-use');
  await putStrategy(d, 'USES-L', body({ isDefault: true }));
  await deleteSourceList({ ...listDeps, strategies: d.strategies }, 'L');
  expect(await d.sourceLists.list()).toEqual([]);
});
