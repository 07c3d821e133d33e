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
import type { ProductValidators } from './app/validate-product-request';
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
import { readStateFramework } from './app/state-framework-config';
import {
  createServiceBusClient,
  ServiceBusBusinessEventPublisher,
} from './adapters/servicebus/business-event-topic';
import { CosmosSourceRepository } from './adapters/cosmos/source-repository';
import { zipcodesGeocoder } from './adapters/zipcodes-geocoder';
import type { SourceRepository } from './ports/sources';
import type { SourceValidators } from './app/sources';
import type { Geocoder, SourceInput } from './domain/sources/source';
import { sourceInputSchema, sourceRouteSchema } from './schemas/source.schema';

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
  cosmosClient?.dispose();
  cosmosClient = undefined;
  cosmosReady = undefined;
}
