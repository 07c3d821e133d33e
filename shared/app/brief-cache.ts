import type { Clock } from '../ports/clock';

/**
 * A value read at most once per `ttlMs` (configuration every order asks for, which rarely changes),
 * forgotten at once when this process writes it; other processes see a change within `ttlMs`.
 * Concurrent callers share one read, and a failed read is not kept.
 */
export class BriefCache<T> {
  #cache: { readAt: number; value: Promise<T> } | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly clock: Clock,
    private readonly ttlMs = 1000
  ) {}

  get(): Promise<T> {
    const now = this.clock.now().getTime();
    if (this.#cache === undefined || now - this.#cache.readAt >= this.ttlMs) {
      const entry = { readAt: now, value: this.load() };
      entry.value.catch(() => {
        if (this.#cache === entry) this.#cache = undefined;
      });
      this.#cache = entry;
    }
    return this.#cache.value;
  }

  forget(): void {
    this.#cache = undefined;
  }

  /** Runs a write, then forgets the value (also when the write failed: it may have landed). */
  async writing<R>(write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } finally {
      this.forget();
    }
  }
}
