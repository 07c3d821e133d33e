import { newId } from './durable-common';
import {
  entityIdOf,
  entityInstanceId,
  operationMessage,
  parseEntityRow,
  type EntityId,
} from './entity-protocol';
import type { TaskHubStore } from './task-hub-store';

export interface EntityListing {
  entityId: EntityId;
  lastOperationTime: string;
  state?: unknown;
}

/** The client side of entities: signals, reading one entity's state, listing entities. */
export class EntityClient {
  constructor(private readonly store: TaskHubStore) {}

  /** Queues a one-way operation; `input` is JSON text or empty. */
  async signal(name: string, key: string, operation: string, input: string): Promise<void> {
    await this.store.send(
      'control',
      operationMessage(entityInstanceId(name, key), {
        id: newId(),
        op: operation,
        signal: true,
        ...(input ? { input } : {}),
        timestamp: new Date().toISOString(),
      })
    );
  }

  /** The entity's state as JSON text, undefined if it does not exist. */
  async read(name: string, key: string): Promise<{ exists: boolean; state?: string }> {
    const record = await this.store.readInstance(entityInstanceId(name, key));
    const row = record ? parseEntityRow(record.input) : undefined;
    return row?.exists ? { exists: true, state: row.state } : { exists: false };
  }

  /** Existing entities (of one name, or all), a page at a time as instance queries page. */
  async list(
    name: string | undefined,
    options: {
      fetchState: boolean;
      pageSize: number;
      continuationToken?: string;
      lastOperationTimeFrom?: Date;
      lastOperationTimeTo?: Date;
    }
  ): Promise<{ items: EntityListing[]; continuationToken?: string }> {
    const prefix = name ? `@${name.toLowerCase()}@` : '@';
    const page = await this.store.listInstances({
      instanceIdPrefix: prefix,
      pageSize: options.pageSize,
      continuationToken: options.continuationToken,
    });
    const items: EntityListing[] = [];
    for (const record of page.items) {
      const id = entityIdOf(record.instanceId);
      const row = parseEntityRow(record.input);
      const lastOperationTime = row.lastOperationTime ?? record.lastUpdatedTime;
      const at = Date.parse(lastOperationTime);
      const { lastOperationTimeFrom: from, lastOperationTimeTo: to } = options;
      if (!id || !row.exists || (from && at < from.getTime()) || (to && at > to.getTime())) continue;
      items.push({
        entityId: id,
        lastOperationTime,
        ...(options.fetchState ? { state: row.state === undefined ? null : JSON.parse(row.state) } : {}),
      });
    }
    return { items, continuationToken: page.continuationToken };
  }
}
