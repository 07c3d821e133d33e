import type { Container, ContainerDefinition, CosmosClient, Database } from '@azure/cosmos';
import { ConflictError } from '../../domain/errors';
import { withCosmosErrors } from './cosmos-errors';

/**
 * The containers (docs/data.md) and their partition keys. The partition key decides what can be
 * written atomically (one transactional batch = one partition), so it is part of the data model,
 * not a deployment detail; infra/azure must declare the same keys.
 */
export const CONTAINERS = {
  orders: { partitionKeyPath: '/orderId' },
  inventory: { partitionKeyPath: '/sku' },
  catalog: { partitionKeyPath: '/key' },
  config: { partitionKeyPath: '/kind' },
  // defaultTtl -1: TTL is on but nothing expires unless a document carries its own `ttl`.
  intake: { partitionKeyPath: '/key', defaultTtl: -1 },
  jobs: { partitionKeyPath: '/kind' },
  meter: { partitionKeyPath: '/month' },
} as const satisfies Record<string, { partitionKeyPath: string; defaultTtl?: number }>;

export type ContainerName = keyof typeof CONTAINERS;

export const CONTAINER_NAMES = Object.keys(CONTAINERS) as ContainerName[];

export type Containers = Readonly<Record<ContainerName, Container>>;

export function containerDefinition(name: ContainerName): ContainerDefinition {
  const spec: { partitionKeyPath: string; defaultTtl?: number } = CONTAINERS[name];
  const definition: ContainerDefinition = {
    id: name,
    partitionKey: { paths: [spec.partitionKeyPath] },
  };
  if (spec.defaultTtl !== undefined) definition.defaultTtl = spec.defaultTtl;
  return definition;
}

export function partitionKeyPathOf(name: ContainerName): string {
  return CONTAINERS[name].partitionKeyPath;
}

/**
 * Create the database and every container when absent; a no-op when they exist, so it is safe on
 * every cold start and from concurrent workers. An existing container's partition key is never
 * changed — Cosmos cannot do that in place.
 */
export async function ensureDatabaseAndContainers(
  client: CosmosClient,
  databaseId: string
): Promise<{ database: Database; containers: Containers }> {
  const { database } = await ensured(() => client.databases.createIfNotExists({ id: databaseId }));
  const entries = await Promise.all(
    CONTAINER_NAMES.map(async (name) => {
      const { container } = await ensured(() =>
        database.containers.createIfNotExists(containerDefinition(name))
      );
      return [name, container] as const;
    })
  );
  return { database, containers: Object.fromEntries(entries) as Record<ContainerName, Container> };
}

/**
 * The database and containers as deployed (infra/azure/main.bicep), without creating anything: a
 * managed identity signs in through Cosmos data-plane RBAC, which may read and write items but not
 * create databases or containers, so there the template is what creates them.
 */
export function deployedDatabaseAndContainers(
  client: CosmosClient,
  databaseId: string
): { database: Database; containers: Containers } {
  const database = client.database(databaseId);
  const entries = CONTAINER_NAMES.map((name) => [name, database.container(name)] as const);
  return { database, containers: Object.fromEntries(entries) as Record<ContainerName, Container> };
}

/**
 * The SDK's createIfNotExists reads, and creates on a 404: a worker that creates the same resource
 * in between makes the create answer 409. Then it exists, and reading again finds it.
 */
async function ensured<R>(createIfNotExists: () => Promise<R>): Promise<R> {
  try {
    return await withCosmosErrors(createIfNotExists);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return withCosmosErrors(createIfNotExists);
  }
}
