import type { StateFrameworkConfig } from '../../domain/states/state-framework';
import type { Clock } from '../../ports/clock';
import type { StateFrameworkStore } from '../../ports/state-framework';
import { readStateFramework } from './state-framework-config';

/**
 * The state framework in force, read at most once per `ttlMs` — every journey step, intake message
 * and raised event asks for it, and it is one document that rarely changes — and forgotten at once
 * when this process writes it. Concurrent callers share one read.
 */
export class StateFrameworkInForce {
  #cache: { readAt: number; config: Promise<StateFrameworkConfig> } | undefined;

  constructor(
    private readonly store: StateFrameworkStore,
    private readonly clock: Clock,
    private readonly ttlMs = 1000
  ) {}

  config(): Promise<StateFrameworkConfig> {
    const now = this.clock.now().getTime();
    if (this.#cache === undefined || now - this.#cache.readAt >= this.ttlMs) {
      const config = readStateFramework(this.store).then((read) => read.config);
      const entry = { readAt: now, config };
      // A failed read is not kept: the next caller reads again.
      config.catch(() => {
        if (this.#cache === entry) this.#cache = undefined;
      });
      this.#cache = entry;
    }
    return this.#cache.config;
  }

  forget(): void {
    this.#cache = undefined;
  }

  /** The store, with every write (successful or not: it may have landed) forgetting the cache. */
  forgettingOnWrite(store: StateFrameworkStore): StateFrameworkStore {
    return {
      read: () => store.read(),
      write: async (custom, etag) => {
        try {
          return await store.write(custom, etag);
        } finally {
          this.forget();
        }
      },
    };
  }
}
