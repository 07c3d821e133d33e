import { StorageJourneySignals } from '../../adapters/storage/journey-signal-queue';
import { journeySignalsQueueName } from '../../ports/binding-names';
import type { JourneySignals } from '../../ports/journey-signals';
import { getConfig } from '../../config';
import type { Clock } from '../../ports/clock';
import type { IdGenerator } from '../../ports/orders';
import type { Geocoder } from '../../domain/fulfillment/source';
import { systemClock } from '../../adapters/system-clock';
import { ulidIds } from '../../adapters/ulid-ids';
import { zipcodesGeocoder } from '../../adapters/zipcodes-geocoder';
import { createCosmosClient } from '../../adapters/cosmos/cosmos-client';
import {
  deployedDatabaseAndContainers,
  ensureDatabaseAndContainers,
  type ContainerName,
  type Containers,
} from '../../adapters/cosmos/containers';
import {
  createStorageClients,
  createStorageClientsForAccount,
  type StorageClients,
} from '../../adapters/storage/storage-clients';
import {
  createServiceBusClient,
  createServiceBusClientForNamespace,
  type BusClient,
} from '../../adapters/servicebus/business-event-topic';
import { createAzureCredential, type TokenCredential } from '../../adapters/identity/azure-credential';
import { forget, memo, override } from '../registry';

/**
 * What every feature's wiring builds on: the clock, ids, the Cosmos client with the database and
 * containers, and the storage clients — each made once per worker through the registry.
 */

export function getClock(): Clock {
  return memo<Clock>('clock', () => systemClock);
}

/** Replace the clock (tests that need fixed or advancing time); resetRegistry() restores the system clock. */
export function setClock(clock: Clock): void {
  override<Clock>('clock', clock);
}

export function getIdGenerator(): IdGenerator {
  return memo('ids', () => ulidIds());
}

/** Offline postal-code geocoding (sources, ship-to addresses without coordinates). */
export function getGeocoder(): Geocoder {
  return zipcodesGeocoder;
}

/** The managed identity (AZURE_CLIENT_ID) for settings that name a resource but hold no key. */
function getAzureCredential(): TokenCredential {
  return memo('azure-credential', () => createAzureCredential(getConfig().azureClientId));
}

export function getCosmosClient(): CosmosClient {
  return memo(
    'cosmos:client',
    () => {
      const { endpoint, key } = getConfig().cosmos;
      return createCosmosClient(
        key === undefined ? { endpoint, credential: getAzureCredential() } : { endpoint, key }
      );
    },
    (client) => client.dispose()
  );
}

type CosmosClient = ReturnType<typeof createCosmosClient>;
type CosmosReady = ReturnType<typeof ensureDatabaseAndContainers>;
type Database = Awaited<CosmosReady>['database'];
type Container = Containers[ContainerName];

/**
 * The database and containers, created when absent on first call. A failed attempt is forgotten so
 * the next call retries (Cosmos may simply not be up yet), instead of caching the rejection forever.
 */
function cosmosDatabaseAndContainers(): CosmosReady {
  return memo<CosmosReady>('cosmos:containers', () => {
    const { key, database } = getConfig().cosmos;
    // With a managed identity the deployment made them; the data-plane role cannot create them.
    const attempt =
      key === undefined
        ? Promise.resolve(deployedDatabaseAndContainers(getCosmosClient(), database))
        : ensureDatabaseAndContainers(getCosmosClient(), database);
    attempt.catch(() => forget('cosmos:containers', attempt));
    return attempt;
  });
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

/** Blob, queue and table clients for AzureWebJobsStorage. */
export function getStorageClients(): StorageClients {
  const { storageConnectionString, storageAccountName } = getConfig();
  if (storageConnectionString === undefined && storageAccountName !== undefined) {
    return memo(`storage-account:${storageAccountName}`, () =>
      createStorageClientsForAccount(storageAccountName, getAzureCredential())
    );
  }
  const connectionString = storageConnectionString ?? '';
  return memo(`storage:${connectionString}`, () => createStorageClients(connectionString));
}

/** The queue the journey runtime drains: instance starts and events raised from outside a journey. */
export function getJourneySignals(): JourneySignals {
  return memo<JourneySignals>(
    'journey-signals',
    () => new StorageJourneySignals(getStorageClients().queues.getQueueClient(journeySignalsQueueName))
  );
}

/** The app's one Service Bus client (SERVICEBUS_CONNECTION), or undefined when none is configured. */
export function getServiceBusClient(): BusClient | undefined {
  const { serviceBusConnection, serviceBusNamespace } = getConfig();
  if (serviceBusConnection !== undefined) {
    return memo('service-bus-client', () => createServiceBusClient(serviceBusConnection));
  }
  if (serviceBusNamespace === undefined) return undefined;
  return memo('service-bus-client', () =>
    createServiceBusClientForNamespace(serviceBusNamespace, getAzureCredential())
  );
}
