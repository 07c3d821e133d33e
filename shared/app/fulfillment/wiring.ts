import { CosmosSourceListRepository } from '../../adapters/cosmos/source-list-repository';
import { CosmosSourceRepository } from '../../adapters/cosmos/source-repository';
import { CosmosStrategyRepository } from '../../adapters/cosmos/strategy-repository';
import { HighsMipSolver } from '../../adapters/highs/highs-solver';
import { InventorySourcingStock } from '../../adapters/inventory-sourcing-stock';
import { getPlanTimeLimitSeconds } from '../../config';
import type { Source, SourceInput } from '../../domain/fulfillment/source';
import type { SourceListInput } from '../../domain/fulfillment/source-list';
import type { StrategyInput } from '../../domain/fulfillment/strategy';
import type { StrategyRepository, VersionedStrategy } from '../../ports/fulfillment-strategies';
import type { MipSolver } from '../../ports/mip-solver';
import type { OrderRepository } from '../../ports/orders';
import type { SourceListRepository } from '../../ports/source-lists';
import type { SourceRepository } from '../../ports/sources';
import type { SourcingStock } from '../../ports/sourcing-stock';
import { planOrderInputSchema, planRequestSchema } from '../../schemas/fulfillment-plan.schema';
import { returnLocationRequestSchema } from '../../schemas/return-location.schema';
import { sourceListInputSchema, sourceListRouteSchema } from '../../schemas/source-list.schema';
import { sourceInputSchema, sourceRouteSchema } from '../../schemas/source.schema';
import { strategyInputSchema, strategyRouteSchema } from '../../schemas/strategy.schema';
import { compileValidator } from '../../schemas/validator';
import { queryInventory } from '../inventory/query-inventory';
import { getInventoryDeps } from '../inventory/wiring';
import { getOrderRepository } from '../orders/wiring';
import { getClock, getContainer, getGeocoder } from '../platform/wiring';
import { getProductRepository } from '../products/wiring';
import { BriefCache } from '../brief-cache';
import { memo } from '../registry';
import type { ReturnLocationDeps } from './find-return-location';
import type { PutStrategyDeps } from './fulfillment-strategies';
import type { PlanRequestDeps } from './plan-fulfillment-request';
import type { PutSourceListDeps } from './source-lists';
import type { PutSourceDeps } from './sources';
import type { PlanOrderInput, PlanRequest, ReturnLocationRequest } from '../../ports/fulfillment-requests';

async function storedSources(): Promise<SourceRepository> {
  return new CosmosSourceRepository(await getContainer('catalog'), getClock());
}

async function storedStrategies(): Promise<StrategyRepository> {
  return new CosmosStrategyRepository(await getContainer('config'), getClock());
}

/** Every source, as planning reads them: every plan (every order) lists them. */
function sourcesInForce(): BriefCache<Source[]> {
  return memo(
    'fulfillment.sources-in-force',
    () => new BriefCache(async () => (await storedSources()).list(), getClock())
  );
}

/** Every strategy, as planning reads them: every order plans with the default one. */
function strategiesInForce(): BriefCache<VersionedStrategy[]> {
  return memo(
    'fulfillment.strategies-in-force',
    () => new BriefCache(async () => (await storedStrategies()).list(), getClock())
  );
}

/** Runs a write of sources made elsewhere (master-data imports), then forgets the ones planning reads. */
export function writingSources<R>(write: () => Promise<R>): Promise<R> {
  return sourcesInForce().writing(write);
}

/** Sources in `catalog`, read as stored; a write forgets the ones planning reads. */
export async function getSourceRepository(): Promise<SourceRepository> {
  const stored = await storedSources();
  const inForce = sourcesInForce();
  return {
    get: (id) => stored.get(id),
    list: () => stored.list(),
    create: (source) => inForce.writing(() => stored.create(source)),
    replace: (source, etag) => inForce.writing(() => stored.replace(source, etag)),
  };
}

/** Fulfillment strategies in `config` (partition `fulfillment-strategy`), read as stored; a write forgets the ones planning reads. */
export async function getStrategyRepository(): Promise<StrategyRepository> {
  const stored = await storedStrategies();
  const inForce = strategiesInForce();
  return {
    get: (id) => stored.get(id),
    list: () => stored.list(),
    write: (writes) => inForce.writing(() => stored.write(writes)),
    delete: (id, etag) => inForce.writing(() => stored.delete(id, etag)),
  };
}

/** Strategies as planning reads them: at most 1 s old (writes go through and are seen at once). */
export async function getStrategiesForPlanning(): Promise<StrategyRepository> {
  const inForce = strategiesInForce();
  return {
    ...(await getStrategyRepository()),
    get: async (id) => (await inForce.get()).find((s) => s.strategy.id === id),
    list: async () => (await inForce.get()).slice(),
  };
}

/** Sources as planning reads them: the list at most 1 s old, each source by id as stored. */
async function getSourcesForPlanning(): Promise<SourceRepository> {
  const inForce = sourcesInForce();
  return { ...(await getSourceRepository()), list: async () => (await inForce.get()).slice() };
}

/** Source lists in `config` (partition `source-list`). */
export async function getSourceListRepository(): Promise<SourceListRepository> {
  return new CosmosSourceListRepository(await getContainer('config'), getClock());
}

// One HiGHS runtime per worker: loading the Wasm takes a moment, and the adapter reloads it when needed.
export function getMipSolver(): MipSolver {
  return memo<MipSolver>('highs-solver', () => new HighsMipSolver());
}

/** Stock for the optimizer from the inventory query (safety stock added back: the optimizer holds it back). */
export async function getSourcingStock(): Promise<SourcingStock> {
  const inventory = await getInventoryDeps();
  return new InventorySourcingStock((request) => queryInventory(inventory, request));
}

/** What the source use cases need (reads use the validators and the repository). */
export async function sourceDeps(): Promise<PutSourceDeps> {
  const validators = memo('validators:source', () => ({
    route: compileValidator<{ sourceId: string }>(sourceRouteSchema, 'source id'),
    body: compileValidator<SourceInput>(sourceInputSchema(), 'source'),
  }));
  return { validators, sources: await getSourceRepository(), clock: getClock(), geocode: getGeocoder() };
}

/** What the source-list use cases need: the lists, the sources they name, the strategies that use them. */
export async function sourceListDeps(): Promise<PutSourceListDeps & { strategies: StrategyRepository }> {
  const validators = memo('validators:source-list', () => ({
    route: compileValidator<{ id: string }>(sourceListRouteSchema, 'source list id'),
    body: compileValidator<SourceListInput>(sourceListInputSchema, 'source list'),
  }));
  return {
    validators,
    sourceLists: await getSourceListRepository(),
    sources: await getSourceRepository(),
    strategies: await getStrategyRepository(),
    clock: getClock(),
  };
}

/** What the strategy use cases need: the strategies and the source lists they name. */
export async function strategyDeps(): Promise<PutStrategyDeps> {
  const validators = memo('validators:strategy', () => ({
    route: compileValidator<{ id: string }>(strategyRouteSchema, 'strategy id'),
    body: compileValidator<StrategyInput>(strategyInputSchema, 'strategy'),
  }));
  return {
    validators,
    strategies: await getStrategyRepository(),
    sourceLists: await getSourceListRepository(),
    clock: getClock(),
  };
}

/** The plan API: strategies, sources, products, stock, HiGHS, the time limit. */
export async function getPlanRequestDeps(): Promise<PlanRequestDeps> {
  const validators = memo('validators:plan', () => ({
    plan: compileValidator<PlanRequest>(planRequestSchema, 'plan request'),
    order: compileValidator<PlanOrderInput>(planOrderInputSchema, 'plan input'),
  }));
  return {
    validators,
    strategies: await getStrategiesForPlanning(),
    sourceLists: await getSourceListRepository(),
    sources: await getSourcesForPlanning(),
    products: await getProductRepository(),
    stock: await getSourcingStock(),
    solver: getMipSolver(),
    clock: getClock(),
    geocode: getGeocoder(),
    timeLimitSeconds: getPlanTimeLimitSeconds(),
  };
}

/** The journey activity: the plan API's deps and the stored orders it plans. */
export async function planActivityDeps(): Promise<PlanRequestDeps & { orders: OrderRepository }> {
  return { ...(await getPlanRequestDeps()), orders: await getOrderRepository() };
}

export async function getReturnLocationDeps(): Promise<ReturnLocationDeps> {
  return {
    validate: memo('validator:return-location', () =>
      compileValidator<ReturnLocationRequest>(returnLocationRequestSchema, 'return location request')
    ),
    strategies: await getStrategyRepository(),
    sourceLists: await getSourceListRepository(),
    sources: await getSourceRepository(),
    geocode: getGeocoder(),
  };
}
