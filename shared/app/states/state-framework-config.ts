import { mergeConfig, type CustomStateFrameworkConfig } from '../../domain/states/merge-config';
import { outOfBoxConfig } from '../../domain/states/out-of-box';
import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { StateFrameworkStore } from '../../ports/state-framework';

/** The state framework in force: out-of-box rows plus the user's. */
export async function readStateFramework(
  store: StateFrameworkStore
): Promise<{ config: StateFrameworkConfig; etag?: string }> {
  const { custom, etag } = await store.read();
  return { config: mergeConfig(outOfBoxConfig(), custom), ...(etag ? { etag } : {}) };
}

/**
 * `PUT /api/v1/states`: replaces the user's rows after checking them against the out-of-box set
 * (read-only rows, unknown states and events are ValidationErrors with paths); nothing is stored
 * when anything is wrong.
 */
export async function replaceStateFramework(
  store: StateFrameworkStore,
  validate: (input: unknown) => CustomStateFrameworkConfig,
  body: unknown,
  ifMatch: string | undefined
): Promise<{ config: StateFrameworkConfig; etag: string }> {
  const custom = validate(body);
  const config = mergeConfig(outOfBoxConfig(), custom);
  const etag = await store.write(custom, ifMatch);
  return { config, etag };
}
