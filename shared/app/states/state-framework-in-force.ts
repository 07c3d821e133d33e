import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { Clock } from '../../ports/clock';
import type { StateFrameworkStore } from '../../ports/state-framework';
import { BriefCache } from '../brief-cache';
import { readStateFramework } from './state-framework-config';

/**
 * The state framework in force, read at most once per `ttlMs` — every journey step, intake message
 * and raised event asks for it, and it is one document that rarely changes — and forgotten at once
 * when this process writes it.
 */
export class StateFrameworkInForce {
  readonly #cache: BriefCache<StateFrameworkConfig>;

  constructor(store: StateFrameworkStore, clock: Clock, ttlMs = 1000) {
    this.#cache = new BriefCache(async () => (await readStateFramework(store)).config, clock, ttlMs);
  }

  config(): Promise<StateFrameworkConfig> {
    return this.#cache.get();
  }

  forget(): void {
    this.#cache.forget();
  }

  /** The store, with every write forgetting the state framework in force. */
  forgettingOnWrite(store: StateFrameworkStore): StateFrameworkStore {
    return {
      read: () => store.read(),
      write: (custom, etag) => this.#cache.writing(() => store.write(custom, etag)),
    };
  }
}
