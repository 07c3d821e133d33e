import type { Container, CosmosClient, Database } from '@azure/cosmos';
import { getConfig, type Config } from './config';
import type { Clock } from './ports/clock';
import type { HealthProbe } from './ports/health-probe';
import { systemClock } from './adapters/system-clock';
import { createCosmosClient } from './adapters/cosmos/cosmos-client';
import {
  ensureDatabaseAndContainers,
  partitionKeyPathOf,
  type ContainerName,
  type Containers,
} from './adapters/cosmos/containers';
import { DocumentStore, type BaseDocument } from './adapters/cosmos/document-store';
import { cosmosHealthProbe } from './adapters/cosmos/cosmos-health-probe';
import {
  getStorageClients as storageClientsFor,
  type StorageClients,
} from './adapters/storage/storage-clients';
import { storageHealthProbes } from './adapters/storage/storage-health-probes';
import { BlobIntakeArchive } from './adapters/storage/intake-archive';
import { intakeQueueName, StorageIntakeQueue } from './adapters/storage/intake-queue';
import { CosmosIntakeClaims } from './adapters/cosmos/intake-claims';
import { CosmosOrderRepository } from './adapters/cosmos/order-repository';
import { CosmosErrorListRepository } from './adapters/cosmos/error-list-repository';
import { CosmosMeterRepository } from './adapters/cosmos/meter-repository';
import { StorageResubmitQueue } from './adapters/storage/resubmit-queue';
import type { ErrorListRepository, ResubmitQueue } from './ports/error-lists';
import type { OrderLineMeter } from './ports/meter';
import { CosmosProductRepository } from './adapters/cosmos/product-repository';
import type { ProductRepository } from './ports/products';
import { CosmosPolicyRepository } from './adapters/cosmos/policy-repository';
import type { PolicyRepository } from './ports/policies';
import { ulidIds } from './adapters/ulid-ids';
import type { OrderIntake } from './domain/orders/order';
import type {
  BusinessEventPublisher,
  IdGenerator,
  IntakeArchive,
  IntakeClaims,
  IntakeQueue,
  OrderRepository,
} from './ports/orders';
import { orderIntakeSchema } from './schemas/order-intake.schema';
import { compileValidator } from './schemas/validator';
import { productInputSchema, productRouteSchema } from './schemas/product.schema';
import type { ProductInput } from './domain/products/product';
import type { ProductValidators } from './app/products/validate-product-request';
import { businessEventRequestSchema, type BusinessEventRequest } from './schemas/business-event.schema';
import {
  businessEventsQueueName,
  QueueBusinessEventPublisher,
} from './adapters/storage/business-event-queue';
import type { StateFrameworkConfig } from './domain/states/state-framework';
import type { CustomStateFrameworkConfig } from './domain/states/merge-config';
import type { StateFrameworkStore } from './ports/state-framework';
import { CosmosStateFrameworkStore } from './adapters/cosmos/state-framework-store';
import { customStateFrameworkSchema } from './schemas/state-framework.schema';
import { readStateFramework } from './app/states/state-framework-config';
import {
  createServiceBusClient,
  ServiceBusBusinessEventPublisher,
} from './adapters/servicebus/business-event-topic';
import { CosmosSourceRepository } from './adapters/cosmos/source-repository';
import { zipcodesGeocoder } from './adapters/zipcodes-geocoder';
import type { SourceRepository } from './ports/sources';
import type { SourceValidators } from './app/fulfillment/sources';
import type { Geocoder, SourceInput } from './domain/fulfillment/source';
import { sourceInputSchema, sourceRouteSchema } from './schemas/source.schema';
// ---- inventory visibility core (issue 5, items 1–5) ----
import { CosmosInventoryStore } from './adapters/cosmos/inventory-store';
import type { InventoryDeps, InventoryValidators } from './ports/inventory-requests';
import { InventoryReservationQueue } from './app/inventory/inventory-reservation-queue';
import { compileInventoryValidators } from './schemas/inventory.schema';
import { CosmosInventoryMeasureStore } from './adapters/cosmos/inventory-measure-store';
import { MeasureDefinitionsCache, type MeasureConfigurationDeps } from './app/inventory/measures/inventory-measure-config';
import type { MeasureConfigurationInput } from './domain/inventory/measures/measure-config';
import { compileMeasureConfigurationValidator } from './schemas/inventory-measures.schema';
// ---- end inventory visibility core ----
// ---- inventory ATP, schedules, file imports, holds (issue 5, items 2-file, 6, 7) ----
import type { InventoryScheduleInput } from './domain/inventory/atp/atp-schedule';
import type { InventoryHoldStore } from './ports/inventory-holds';
import type { ImportReportStore } from './ports/inventory-imports';
import type { InventoryScheduleStore } from './ports/inventory-schedules';
import { CosmosInventoryScheduleStore } from './adapters/cosmos/inventory-schedule-store';
import { CosmosInventoryHoldStore } from './adapters/cosmos/inventory-hold-store';
import { inventoryFileParser } from './adapters/storage/inventory-import-parsers';
import {
  BlobImportReportStore,
  inventoryImportResultsContainer,
} from './adapters/storage/inventory-import-reports';
import {
  scheduleInputSchema,
  scheduleListQuerySchema,
  scheduleRouteSchema,
  type ScheduleListQuery,
} from './schemas/inventory-schedule.schema';
import { atpRequestSchema, type AtpRequest } from './schemas/inventory-atp.schema';
import {
  holdCheckRequestSchema,
  holdListQuerySchema,
  type HoldCheckRequest,
  type HoldListQuery,
} from './schemas/inventory-hold.schema';
import type { ScheduleValidators } from './app/inventory/schedules/inventory-schedules';
import type { AtpDeps } from './app/inventory/atp/compute-atp';
import { loadAtpDefaultDays } from './app/inventory/atp/atp-settings';
import { inventoryLevelsFrom } from './app/inventory/atp/atp-inventory-levels';
import { inventoryReservationsFrom } from './app/inventory/holds/hold-inventory-reservations';
import type { HoldDeps, HoldValidators } from './app/inventory/holds/hold-steps';
import { loadHoldSettings, type HoldSettings } from './app/inventory/holds/hold-settings';
import { applyChangesWith, type ImportInventoryFileDeps } from './app/inventory/imports/import-inventory-file';
// ---- end inventory ATP, schedules, file imports, holds ----
// ---- fulfillment API, source lists, returns (issue 6, items 1, 2, 4, 5) ----
import { CosmosStrategyRepository } from './adapters/cosmos/strategy-repository';
import { CosmosSourceListRepository } from './adapters/cosmos/source-list-repository';
import { HighsMipSolver } from './adapters/highs/highs-solver';
import { InventorySourcingStock } from './adapters/inventory-sourcing-stock';
import { queryInventory } from './app/inventory/query-inventory';
import type { StrategyRepository } from './ports/fulfillment-strategies';
import type { SourceListRepository } from './ports/source-lists';
import type { MipSolver } from './ports/mip-solver';
import type { SourcingStock } from './ports/sourcing-stock';
import type { SourceListInput } from './domain/fulfillment/source-list';
import type { StrategyInput } from './domain/fulfillment/strategy';
import type { SourceListValidators } from './app/fulfillment/source-lists';
import type { StrategyValidators } from './app/fulfillment/fulfillment-strategies';
import type { PlanOrderInput, PlanRequest, PlanRequestDeps } from './app/fulfillment/plan-fulfillment-request';
import type { ReturnLocationDeps, ReturnLocationRequest } from './app/fulfillment/find-return-location';
import { loadPlanTimeLimitSeconds } from './app/fulfillment/fulfillment-settings';
import { sourceListInputSchema, sourceListRouteSchema } from './schemas/source-list.schema';
import { strategyInputSchema, strategyRouteSchema } from './schemas/strategy.schema';
import { planOrderInputSchema, planRequestSchema } from './schemas/fulfillment-plan.schema';
import { returnLocationRequestSchema } from './schemas/return-location.schema';
// ---- end fulfillment API, source lists, returns ----

/**
 * Wiring (DESIGN §2): the one place that turns config into adapters. Everything is created on first
 * use and then reused for the worker's life — a cold start pays only for what the invoked function
 * touches, and SDK clients (with their connection pools) are never created per request.
 * Functions get their dependencies from here; shared/app receives them as arguments (ports).
 */

let clock: Clock = systemClock;
let cosmosClient: CosmosClient | undefined;
let cosmosReady: Promise<{ database: Database; containers: Containers }> | undefined;

export function getAppConfig(): Config {
  return getConfig();
}

export function getClock(): Clock {
  return clock;
}

export function getCosmosClient(): CosmosClient {
  const { endpoint, key } = getConfig().cosmos;
  cosmosClient ??= createCosmosClient({ endpoint, key });
  return cosmosClient;
}

/**
 * The database and containers, created when absent on first call. A failed attempt is forgotten so
 * the next call retries (Cosmos may simply not be up yet), instead of caching the rejection forever.
 */
function cosmosDatabaseAndContainers(): Promise<{ database: Database; containers: Containers }> {
  if (cosmosReady === undefined) {
    const attempt = ensureDatabaseAndContainers(getCosmosClient(), getConfig().cosmos.database);
    cosmosReady = attempt;
    attempt.catch(() => {
      if (cosmosReady === attempt) cosmosReady = undefined;
    });
  }
  return cosmosReady;
}

export async function getCosmosDatabase(): Promise<Database> {
  return (await cosmosDatabaseAndContainers()).database;
}

export async function getContainers(): Promise<Containers> {
  return (await cosmosDatabaseAndContainers()).containers;
}

export async function getContainer(name: ContainerName): Promise<Container> {
  return (await getContainers())[name];
}

/** A typed store over one container, with the container's partition key and the app clock. */
export async function getDocumentStore<T extends BaseDocument>(
  name: ContainerName
): Promise<DocumentStore<T>> {
  return new DocumentStore<T>(await getContainer(name), partitionKeyPathOf(name), getClock());
}

export function getStorageClients(): StorageClients {
  return storageClientsFor(getConfig().storageConnectionString);
}

/** Everything `/api/health` asks: each storage service and Cosmos. */
export function getHealthProbes(): HealthProbe[] {
  // Validate now: a broken environment should be reported as such, not as four unreachable services.
  getConfig();
  return [...storageHealthProbes(getStorageClients), cosmosHealthProbe(getCosmosDatabase)];
}

let orderIntakeValidator: ((input: unknown) => OrderIntake) | undefined;
let ids: IdGenerator | undefined;

/** The validator of `POST /api/v1/orders` bodies, with the configured line limit. */
export function getOrderIntakeValidator(): (input: unknown) => OrderIntake {
  orderIntakeValidator ??= compileValidator<OrderIntake>(
    orderIntakeSchema(getConfig().maxOrderLines),
    'order'
  );
  return orderIntakeValidator;
}

let productValidators: ProductValidators | undefined;

/** The product route and body validators, compiled on first use. */
export function getProductValidators(): ProductValidators {
  productValidators ??= {
    route: compileValidator<{ sku: string }>(productRouteSchema, 'product SKU'),
    body: compileValidator<ProductInput>(productInputSchema(), 'product'),
  };
  return productValidators;
}

export function getIdGenerator(): IdGenerator {
  ids ??= ulidIds();
  return ids;
}

export async function getOrderRepository(): Promise<OrderRepository> {
  return new CosmosOrderRepository(await getContainer('orders'), getClock());
}

export async function getProductRepository(): Promise<ProductRepository> {
  return new CosmosProductRepository(await getContainer('catalog'), getClock());
}

export async function getSourceRepository(): Promise<SourceRepository> {
  return new CosmosSourceRepository(await getContainer('catalog'), getClock());
}

let sourceValidators: SourceValidators | undefined;

/** The source route and body validators, compiled on first use. */
export function getSourceValidators(): SourceValidators {
  sourceValidators ??= {
    route: compileValidator<{ sourceId: string }>(sourceRouteSchema, 'source id'),
    body: compileValidator<SourceInput>(sourceInputSchema(), 'source'),
  };
  return sourceValidators;
}

/** Offline postal-code geocoding (sources, ship-to addresses without coordinates). */
export function getGeocoder(): Geocoder {
  return zipcodesGeocoder;
}

// ---- inventory visibility core (issue 5, items 1–5) ----
let inventoryValidators: InventoryValidators | undefined;
// One per worker: reservations for the same row from concurrent calls share its group commits.
let inventoryReservationQueue: InventoryReservationQueue | undefined;
let inventoryMeasureValidator: ((input: unknown) => MeasureConfigurationInput) | undefined;
// One per worker: the measure configuration, read at most every few seconds.
let inventoryMeasureCache: MeasureDefinitionsCache | undefined;

async function getInventoryMeasureStore(): Promise<CosmosInventoryMeasureStore> {
  return new CosmosInventoryMeasureStore(await getContainer('config'), getClock());
}

/** `GET`/`PUT /api/v1/inventory/measures`: the configuration document and its validator. */
export async function getInventoryMeasureDeps(): Promise<Required<MeasureConfigurationDeps>> {
  inventoryMeasureValidator ??= compileMeasureConfigurationValidator();
  inventoryMeasureCache ??= new MeasureDefinitionsCache(getInventoryMeasureStore, getClock());
  return {
    store: await getInventoryMeasureStore(),
    validate: inventoryMeasureValidator,
    cache: inventoryMeasureCache,
  };
}

/** Everything the inventory use cases need (shared/app/inventory-deps.ts), with the measures in force. */
export async function getInventoryDeps(): Promise<InventoryDeps> {
  inventoryValidators ??= compileInventoryValidators();
  inventoryReservationQueue ??= new InventoryReservationQueue();
  inventoryMeasureCache ??= new MeasureDefinitionsCache(getInventoryMeasureStore, getClock());
  const [inventory, catalog, measures] = await Promise.all([
    getContainer('inventory'),
    getContainer('catalog'),
    inventoryMeasureCache.definitions(),
  ]);
  return {
    validators: inventoryValidators,
    store: new CosmosInventoryStore(inventory, getClock()),
    sources: new CosmosSourceRepository(catalog, getClock()),
    products: new CosmosProductRepository(catalog, getClock()),
    clock: getClock(),
    measures,
    reservationQueue: inventoryReservationQueue,
  };
}
// ---- end inventory visibility core ----

/** Policy versions in `config` (partition `policy`). */
export async function getPolicyRepository(): Promise<PolicyRepository> {
  return new CosmosPolicyRepository(await getContainer('config'), getClock());
}

export async function getIntakeClaims(): Promise<IntakeClaims> {
  return new CosmosIntakeClaims(await getContainer('intake'), getClock());
}

// Memoized: each adapter creates its container or queue once, not on every request.
let intakeArchive: IntakeArchive | undefined;
let intakeQueue: IntakeQueue | undefined;
let businessEventPublisher: BusinessEventPublisher | undefined;

export function getIntakeArchive(): IntakeArchive {
  intakeArchive ??= new BlobIntakeArchive(
    getStorageClients().blobs.getContainerClient(BlobIntakeArchive.containerName)
  );
  return intakeArchive;
}

export function getIntakeQueue(): IntakeQueue {
  intakeQueue ??= new StorageIntakeQueue(getStorageClients().queues.getQueueClient(intakeQueueName));
  return intakeQueue;
}

let businessEventValidator: ((input: unknown) => BusinessEventRequest) | undefined;

export function getBusinessEventValidator(): (input: unknown) => BusinessEventRequest {
  businessEventValidator ??= compileValidator<BusinessEventRequest>(businessEventRequestSchema, 'event');
  return businessEventValidator;
}

/** The `business-events` Service Bus topic when SERVICEBUS_CONNECTION is set, else the storage queue. */
export function getBusinessEventPublisher(): BusinessEventPublisher {
  const { serviceBusConnection } = getAppConfig();
  businessEventPublisher ??=
    serviceBusConnection === undefined
      ? new QueueBusinessEventPublisher(getStorageClients().queues.getQueueClient(businessEventsQueueName))
      : new ServiceBusBusinessEventPublisher(
          createServiceBusClient(serviceBusConnection),
          businessEventsQueueName
        );
  return businessEventPublisher;
}

let customStateValidator: ((input: unknown) => CustomStateFrameworkConfig) | undefined;

export async function getStateFrameworkStore(): Promise<StateFrameworkStore> {
  return new CosmosStateFrameworkStore(await getContainer('config'), getClock());
}

export function getCustomStateFrameworkValidator(): (input: unknown) => CustomStateFrameworkConfig {
  customStateValidator ??= compileValidator<CustomStateFrameworkConfig>(
    customStateFrameworkSchema,
    'state framework'
  );
  return customStateValidator;
}

/** The state framework in force: the out-of-box rows plus the user's (read per call: it is one document). */
export async function getStateFrameworkConfig(): Promise<StateFrameworkConfig> {
  return (await readStateFramework(await getStateFrameworkStore())).config;
}

/** The error lists (provider inbound, provider action, orchestration step, policy) in `jobs`. */
export async function getErrorListRepository(): Promise<ErrorListRepository> {
  return new CosmosErrorListRepository(await getContainer('jobs'), getClock());
}

export function getResubmitQueue(): ResubmitQueue {
  return new StorageResubmitQueue(getStorageClients().queues);
}

/** Order lines per month in `meter`. */
export async function getOrderLineMeter(): Promise<OrderLineMeter> {
  return new CosmosMeterRepository(await getContainer('meter'), getClock());
}

// ---- inventory ATP, schedules, file imports, holds (issue 5, items 2-file, 6, 7) ----
let scheduleValidators: ScheduleValidators | undefined;
let atpValidator: ((input: unknown) => AtpRequest) | undefined;
let holdValidators: HoldValidators | undefined;

/** Change schedules in `inventory` (partition = SKU). */
export async function getInventoryScheduleStore(): Promise<InventoryScheduleStore> {
  return new CosmosInventoryScheduleStore(await getContainer('inventory'), getClock());
}

export function getScheduleValidators(): ScheduleValidators {
  scheduleValidators ??= {
    route: compileValidator<{ id: string }>(scheduleRouteSchema, 'schedule entry id'),
    body: compileValidator<InventoryScheduleInput>(scheduleInputSchema, 'schedule entry'),
    list: compileValidator<ScheduleListQuery>(scheduleListQuerySchema, 'schedule query'),
  };
  return scheduleValidators;
}

/** `POST /api/v1/inventory/atp`: schedules, day-0 stock from the inventory query, the default period. */
export async function getAtpDeps(): Promise<AtpDeps> {
  atpValidator ??= compileValidator<AtpRequest>(atpRequestSchema, 'ATP request');
  return {
    validate: atpValidator,
    levels: inventoryLevelsFrom(await getInventoryDeps()),
    schedules: await getInventoryScheduleStore(),
    clock: getClock(),
    defaultDays: loadAtpDefaultDays(process.env),
  };
}

/** Hold records in `inventory` (partition = the line's SKU). */
export async function getInventoryHoldStore(): Promise<InventoryHoldStore> {
  return new CosmosInventoryHoldStore(await getContainer('inventory'), getClock());
}

export function getHoldValidators(): HoldValidators {
  holdValidators ??= {
    check: compileValidator<HoldCheckRequest>(holdCheckRequestSchema, 'hold check'),
    list: compileValidator<HoldListQuery>(holdListQuerySchema, 'hold query'),
  };
  return holdValidators;
}

/** OPENIOM_HOLD_RECHECK_SCHEDULE and OPENIOM_HOLD_CANCEL_AFTER_DAYS (read per call: a cheap parse). */
export function getHoldSettings(): HoldSettings {
  return loadHoldSettings(process.env);
}

/** What the check and re-check of held lines use: orders, products, inventory, schedules, events. */
export async function getHoldDeps(): Promise<HoldDeps> {
  const inventory = await getInventoryDeps();
  return {
    orders: await getOrderRepository(),
    products: await getProductRepository(),
    holds: await getInventoryHoldStore(),
    reservations: inventoryReservationsFrom(inventory),
    levels: inventoryLevelsFrom(inventory),
    schedules: await getInventoryScheduleStore(),
    events: {
      validate: getBusinessEventValidator(),
      orders: await getOrderRepository(),
      publisher: getBusinessEventPublisher(),
      config: await getStateFrameworkConfig(),
      ids: getIdGenerator(),
      clock: getClock(),
    },
    clock: getClock(),
    atpDays: loadAtpDefaultDays(process.env),
  };
}

let importReports: ImportReportStore | undefined;

/** The file drop: parsers, the inventory core's changes, reports in `inventory-imports-results`. */
export async function getInventoryImportDeps(): Promise<ImportInventoryFileDeps> {
  importReports ??= new BlobImportReportStore(
    getStorageClients().blobs.getContainerClient(inventoryImportResultsContainer)
  );
  return {
    parser: inventoryFileParser,
    applyChanges: applyChangesWith(await getInventoryDeps()),
    reports: importReports,
    clock: getClock(),
  };
}
// ---- end inventory ATP, schedules, file imports, holds ----

// ---- fulfillment API, source lists, returns (issue 6, items 1, 2, 4, 5) ----
let sourceListValidators: SourceListValidators | undefined;
let strategyValidators: StrategyValidators | undefined;
let planValidators: PlanRequestDeps['validators'] | undefined;
let returnLocationValidator: ((input: unknown) => ReturnLocationRequest) | undefined;
// One HiGHS runtime per worker: loading the Wasm takes a moment, and the adapter reloads it when needed.
let mipSolver: MipSolver | undefined;

/** Fulfillment strategies in `config` (partition `fulfillment-strategy`). */
export async function getStrategyRepository(): Promise<StrategyRepository> {
  return new CosmosStrategyRepository(await getContainer('config'), getClock());
}

/** Source lists in `config` (partition `source-list`). */
export async function getSourceListRepository(): Promise<SourceListRepository> {
  return new CosmosSourceListRepository(await getContainer('config'), getClock());
}

export function getMipSolver(): MipSolver {
  mipSolver ??= new HighsMipSolver();
  return mipSolver;
}

/** Stock for the optimizer from the inventory query (safety stock added back: the optimizer holds it back). */
export async function getSourcingStock(): Promise<SourcingStock> {
  const inventory = await getInventoryDeps();
  return new InventorySourcingStock((request) => queryInventory(inventory, request));
}

export function getSourceListValidators(): SourceListValidators {
  sourceListValidators ??= {
    route: compileValidator<{ id: string }>(sourceListRouteSchema, 'source list id'),
    body: compileValidator<SourceListInput>(sourceListInputSchema, 'source list'),
  };
  return sourceListValidators;
}

export function getStrategyValidators(): StrategyValidators {
  strategyValidators ??= {
    route: compileValidator<{ id: string }>(strategyRouteSchema, 'strategy id'),
    body: compileValidator<StrategyInput>(strategyInputSchema, 'strategy'),
  };
  return strategyValidators;
}

/** The plan API and the journey activity: strategies, sources, products, stock, HiGHS, the time limit. */
export async function getPlanRequestDeps(): Promise<PlanRequestDeps> {
  planValidators ??= {
    plan: compileValidator<PlanRequest>(planRequestSchema, 'plan request'),
    order: compileValidator<PlanOrderInput>(planOrderInputSchema, 'plan input'),
  };
  return {
    validators: planValidators,
    strategies: await getStrategyRepository(),
    sourceLists: await getSourceListRepository(),
    sources: await getSourceRepository(),
    products: await getProductRepository(),
    stock: await getSourcingStock(),
    solver: getMipSolver(),
    clock: getClock(),
    geocode: getGeocoder(),
    timeLimitSeconds: loadPlanTimeLimitSeconds(process.env),
  };
}

export async function getReturnLocationDeps(): Promise<ReturnLocationDeps> {
  returnLocationValidator ??= compileValidator<ReturnLocationRequest>(
    returnLocationRequestSchema,
    'return location request'
  );
  return {
    validate: returnLocationValidator,
    strategies: await getStrategyRepository(),
    sourceLists: await getSourceListRepository(),
    sources: await getSourceRepository(),
    geocode: getGeocoder(),
  };
}
// ---- end fulfillment API, source lists, returns ----

/** Replace the clock (tests that need fixed or advancing time). */
export function setClockForTests(testClock: Clock): void {
  clock = testClock;
}

/** Forget every memoized adapter so a test can rewire against a different environment. */
export function resetCompositionForTests(): void {
  clock = systemClock;
  orderIntakeValidator = undefined;
  intakeArchive = undefined;
  intakeQueue = undefined;
  businessEventPublisher = undefined;
  ids = undefined;
  inventoryValidators = undefined;
  inventoryReservationQueue = undefined;
  inventoryMeasureValidator = undefined;
  inventoryMeasureCache = undefined;
  cosmosClient?.dispose();
  cosmosClient = undefined;
  cosmosReady = undefined;
}
