import { conflictBackoffMs, sleep } from './conflict-backoff';
import { ConflictError } from '../../domain/errors';
import {
  emptyRow,
  rowAddressKey,
  type InventoryRow,
  type RowAddress,
} from '../../domain/inventory/inventory-row';
import { idReused } from '../../domain/inventory/inventory-errors';
import {
  isSameReservation,
  newReservation,
  reserve,
  type Reservation,
} from '../../domain/inventory/reservation';
import type { Source } from '../../domain/fulfillment/source';
import { maxWritesPerCommit, type InventoryWrite, type VersionedRow } from '../../ports/inventory';
import type {
  InventoryDeps,
  QueuedReservation,
  ReservationOutcome,
  ReservationQueue,
} from '../../ports/inventory-requests';
import { InventoryLookups } from './inventory-lookups';

interface Waiter {
  resolve(outcome: ReservationOutcome): void;
  reject(err: unknown): void;
}

interface Pending {
  deps: InventoryDeps;
  request: QueuedReservation;
  /** Every caller that sent this id while it waited: they all get the first one's answer. */
  waiters: Waiter[];
}

interface Lane {
  pending: Pending[];
  running: boolean;
}

export interface ReservationQueueOptions {
  /** Reservations per commit; one more write is the row's. */
  maxGroupSize?: number;
  /** Commits tried per group before giving up with a 409 (the row keeps changing under us). */
  maxAttempts?: number;
  /** Waits between attempts; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultMaxAttempts = 40;
/** Rows this worker wrote last, kept with their ETag so that the next group need not read them. */
const maxCachedRows = 10_000;
/** How long a source read serves the reservations of this worker (its safety stock is checked). */
export const sourceCacheMs = 1000;

/**
 * Group commit of soft reservations (docs/inventory.md). Reservations for one row are queued in this
 * process; while a commit for the row is in flight, new ones wait, and the next commit takes up to
 * 99 of them at once: read the row (and the source's safety stock), evaluate them in order with the
 * pure `reserve` rule, then write the accepted reservation documents and the row in one
 * transactional batch whose row replace is ETag-checked. Another worker (or an unreserve, a change
 * event) writing the row in between makes the batch fail whole, and the group is evaluated again
 * against the new row. So the ETag stays the guarantee across processes, and within one process 50
 * concurrent callers on a hot row cost a few batches, not thousands of lost races.
 *
 * Two things are kept between groups, both checked or bounded: the row as this worker last wrote it
 * with its ETag (a stale copy only makes the batch fail and the row be read again; a refusal is
 * never based on it), and each source for `sourceCacheMs` (a safety-stock change reaches this
 * worker's reservations within that time).
 *
 * A repeat of a reservation id answers the stored reservation: an accepted id that already exists
 * fails its create (409) and is answered from the store; a refused one is looked up before
 * answering `insufficient-inventory`.
 */
export class InventoryReservationQueue implements ReservationQueue {
  readonly #lanes = new Map<string, Lane>();
  /**
   * The row as this worker last committed it, with the new ETag. A stale entry (someone else wrote
   * since) costs nothing but a failed batch: the ETag check refuses it and the row is read again.
   */
  readonly #rows = new Map<string, VersionedRow>();
  readonly #sources = new Map<string, { source: Promise<Source | undefined>; until: number }>();
  readonly #maxGroupSize: number;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: ReservationQueueOptions = {}) {
    this.#maxGroupSize = Math.min(options.maxGroupSize ?? maxWritesPerCommit - 1, maxWritesPerCommit - 1);
    this.#maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
    this.#sleep = options.sleep ?? sleep;
  }

  /** Queues the reservation behind the row's commit in flight, if any. */
  reserve(deps: InventoryDeps, request: QueuedReservation): Promise<ReservationOutcome> {
    const key = rowAddressKey(request);
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = { pending: [], running: false };
      this.#lanes.set(key, lane);
    }
    const queued = lane;
    return new Promise<ReservationOutcome>((resolve, reject) => {
      const waiter = { resolve, reject };
      const same = queued.pending.find((p) => p.request.id === request.id);
      if (same === undefined) queued.pending.push({ deps, request, waiters: [waiter] });
      else if (same.request.quantity === request.quantity) same.waiters.push(waiter);
      else reject(idReused('Reservation id', request.id));
      if (!queued.running) void this.#drain(key, queued);
    });
  }

  async #drain(key: string, lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (lane.pending.length > 0) {
        const group = lane.pending.splice(0, this.#maxGroupSize);
        try {
          await this.#commitGroup(group);
        } catch (err) {
          // Unexpected (storage down): everyone still waiting in the group hears it. Answered
          // promises ignore the second settle.
          for (const pending of group) settle(pending, (w) => w.reject(err));
        }
      }
    } finally {
      lane.running = false;
      if (lane.pending.length === 0) this.#lanes.delete(key);
    }
  }

  async #commitGroup(group: Pending[]): Promise<void> {
    const first = group[0]!;
    const { deps } = first;
    const address: RowAddress = first.request;
    const lookups = new InventoryLookups(deps);
    const key = rowAddressKey(address);
    let active = group;
    for (let attempt = 1; active.length > 0; attempt++) {
      if (attempt > this.#maxAttempts) {
        const busy = new ConflictError(
          `SKU ${address.sku} at source ${address.sourceId} is being changed by others; try again.`,
          { code: 'concurrent-update' }
        );
        for (const pending of active) settle(pending, (w) => w.reject(busy));
        return;
      }
      // Read per attempt: the safety stock of the source is part of what is checked.
      const cached = this.#rows.get(key);
      const [stored, source] = await Promise.all([
        cached ?? deps.store.getRow(address),
        this.#source(deps, lookups, address.sourceId),
      ]);
      if (source === undefined) {
        const missing = await lookups.requireSource(address.sourceId).catch((err: unknown) => err);
        for (const pending of active) settle(pending, (w) => w.reject(missing));
        return;
      }
      if (stored === undefined && !(await lookups.productExists(address.sku))) {
        const missing = await lookups.requireProduct(address.sku).catch((err: unknown) => err);
        for (const pending of active) settle(pending, (w) => w.reject(missing));
        return;
      }
      let row: InventoryRow =
        stored?.row ?? emptyRow(address.sku, address.sourceId, first.request.dimensions);
      const context = { definitions: deps.measures, safetyStock: source.safetyStock };
      const now = deps.clock.now();
      const accepted: { pending: Pending; reservation: Reservation }[] = [];
      const refusedOnes: { pending: Pending; error: unknown }[] = [];
      for (const pending of active) {
        const result = reserve(row, pending.request.quantity, context);
        if (result.ok) {
          row = result.value;
          accepted.push({ pending, reservation: newReservation(pending.request, row, now) });
        } else {
          refusedOnes.push({ pending, error: result.error });
        }
      }
      if (cached !== undefined && refusedOnes.length > 0) {
        // Refuse only on a row read now: the cached one may predate releases by other workers.
        this.#rows.delete(key);
        attempt--;
        continue;
      }
      await this.#answerRefused(deps, address.sku, refusedOnes);
      if (accepted.length === 0) return;
      // Set once, so that later replaces (from a cached row) keep it.
      row = { ...row, createdAt: row.createdAt ?? now.toISOString() };

      const writes: InventoryWrite[] = [
        stored === undefined ? { kind: 'create-row', row } : { kind: 'replace-row', row, etag: stored.etag },
        ...accepted.map(({ reservation }): InventoryWrite => ({ kind: 'create-reservation', reservation })),
      ];
      const outcome = await deps.store.commit(address.sku, writes);
      if (outcome.ok) {
        this.#remember(key, row, outcome.etags[0]);
        for (const { pending, reservation } of accepted) answer(pending, reservation, false);
        return;
      }
      this.#rows.delete(key);
      active = accepted.map((a) => a.pending);
      if (outcome.reason === 'exists' && outcome.failedIndex > 0) {
        // This id was reserved before: answer it from the store and evaluate the others again.
        const repeat = accepted[outcome.failedIndex - 1]!.pending;
        const existing = await deps.store.getReservation(address.sku, repeat.request.id);
        if (existing !== undefined) {
          answerExisting(repeat, existing.reservation);
          active = active.filter((p) => p !== repeat);
          continue;
        }
      }
      // The row changed (or was created) meanwhile: back off a little, then evaluate again.
      await this.#sleep(conflictBackoffMs(attempt));
    }
  }

  #remember(key: string, row: InventoryRow, etag: string | undefined): void {
    this.#rows.delete(key);
    if (etag === undefined) return;
    this.#rows.set(key, { row, etag });
    if (this.#rows.size > maxCachedRows) this.#rows.delete(this.#rows.keys().next().value!);
  }

  /**
   * The source, read at most once per `sourceCacheMs` by this worker; an unknown one is not kept.
   * The read in flight is shared: when the entry expires, the groups of every row at that source
   * would otherwise each read it at once (with reservations spread over many SKUs, one read each).
   */
  #source(deps: InventoryDeps, lookups: InventoryLookups, id: string): Promise<Source | undefined> {
    const now = deps.clock.now().getTime();
    const kept = this.#sources.get(id);
    if (kept !== undefined && kept.until > now) return kept.source;
    const entry = { source: lookups.source(id), until: now + sourceCacheMs };
    this.#sources.set(id, entry);
    const forget = () => {
      if (this.#sources.get(id) === entry) this.#sources.delete(id);
    };
    entry.source.then((source) => source === undefined && forget(), forget);
    return entry.source;
  }

  /** Refused requests whose id was reserved before get that reservation; the others the refusal. */
  async #answerRefused(
    deps: InventoryDeps,
    sku: string,
    refusedOnes: { pending: Pending; error: unknown }[]
  ): Promise<void> {
    if (refusedOnes.length === 0) return;
    const existing = await deps.store.getReservations(
      sku,
      refusedOnes.map((r) => r.pending.request.id)
    );
    const byId = new Map(existing.map((r) => [r.reservationId, r]));
    for (const { pending, error } of refusedOnes) {
      const reservation = byId.get(pending.request.id);
      if (reservation !== undefined) answerExisting(pending, reservation);
      else settle(pending, (w) => w.reject(error));
    }
  }
}

function settle(pending: Pending, action: (waiter: Waiter) => void): void {
  for (const waiter of pending.waiters) action(waiter);
}

function answer(pending: Pending, reservation: Reservation, duplicate: boolean): void {
  pending.waiters.forEach((waiter, index) =>
    waiter.resolve({ reservation, duplicate: duplicate || index > 0 })
  );
}

function answerExisting(pending: Pending, reservation: Reservation): void {
  if (isSameReservation(reservation, pending.request)) answer(pending, reservation, true);
  else settle(pending, (w) => w.reject(idReused('Reservation id', pending.request.id)));
}
