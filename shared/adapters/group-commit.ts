/** What one item of a group came to: its own result, or its own failure. */
export type ItemOutcome<R> =
  { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/**
 * Group commit for writes whose cost hardly depends on how many items they carry (a queue message, a
 * Cosmos bulk request): items submitted while a write is in flight wait, and the next write carries
 * as many of them as `groupSize` allows. Each submitter's promise settles with the write that carried
 * its item, so "resolved" still means "written". With little traffic nothing waits and every write
 * carries one item; under load the groups grow by themselves.
 *
 * `maxInFlight` writes may run at once (default one). A further write starts only when more items
 * wait than the next write would take: more than one suits a store whose writes overlap well but
 * carry few items each (a queue message holds only a few large items), where one write at a time
 * would cap the rate at a few writes per round trip; small items still share one write, since a write
 * per item would multiply the store's work (and its latency) for the same traffic.
 */
export class GroupCommit<T, R> {
  readonly #waiting: { item: T; resolve: (value: R) => void; reject: (err: unknown) => void }[] = [];
  #writers = 0;

  /**
   * @param write writes a group, answering one outcome per item in order; throwing fails every item.
   * @param groupSize how many of the waiting items (at least 1) the next write takes.
   */
  constructor(
    private readonly write: (items: readonly T[]) => Promise<readonly ItemOutcome<R>[]>,
    private readonly groupSize: (waiting: readonly T[]) => number,
    private readonly maxInFlight = 1
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#writers === 0 || (this.#writers < this.maxInFlight && this.#overflowing()))
        void this.#writeGroups();
    });
  }

  /** Whether more items wait than the next write takes. */
  #overflowing(): boolean {
    return this.groupSize(this.#waiting.map((waiting) => waiting.item)) < this.#waiting.length;
  }

  async #writeGroups(): Promise<void> {
    this.#writers++;
    try {
      while (this.#waiting.length > 0) {
        const size = Math.max(1, this.groupSize(this.#waiting.map((waiting) => waiting.item)));
        const group = this.#waiting.splice(0, size);
        try {
          const outcomes = await this.write(group.map((waiting) => waiting.item));
          group.forEach((waiting, i) => {
            const outcome = outcomes[i];
            if (outcome === undefined)
              waiting.reject(new Error('The group write gave no outcome for this item.'));
            else if (outcome.ok) waiting.resolve(outcome.value);
            else waiting.reject(outcome.error);
          });
        } catch (err) {
          for (const waiting of group) waiting.reject(err);
        }
      }
    } finally {
      this.#writers--;
    }
  }
}
