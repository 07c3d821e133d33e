import type { Container, ContainerDefinition, CosmosClient, Database } from '@azure/cosmos';
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
 * every cold start and from concurrent workers (createIfNotExists tolerates the 409 race).
 * An existing container's partition key is never changed — Cosmos cannot do that in place.
 */
export async function ensureDatabaseAndContainers(
  client: CosmosClient,
  databaseId: string
): Promise<{ database: Database; containers: Containers }> {
  const { database } = await withCosmosErrors(() => client.databases.createIfNotExists({ id: databaseId }));
  const entries = await Promise.all(
    CONTAINER_NAMES.map(async (name) => {
      const { container } = await withCosmosErrors(() =>
        database.containers.createIfNotExists(containerDefinition(name))
      );
      return [name, container] as const;
    })
  );
  return { database, containers: Object.fromEntries(entries) as Record<ContainerName, Container> };
}
