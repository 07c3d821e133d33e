import { earliestPromiseDate, type AtpDay } from '../atp/atp';

/**
 * Backorder and preorder holds (docs/inventory-holds.md). Pure decisions; the use cases
 * in shared/app reserve stock, raise the business events and store the holds.
 */

export type HoldKind = 'backorder' | 'preorder';
export type HoldState = 'held' | 'released' | 'cancelled';
export const holdStates: readonly HoldState[] = ['held', 'released', 'cancelled'];

/** One order line waiting for stock (backorder) or for its product's launch (preorder). */
export interface InventoryHold {
  /** `lineKeyOf(orderId, lineIndex)`: one hold record per order line, safe in any id. */
  id: string;
  sku: string;
  orderId: string;
  lineId: string;
  quantity: number;
  /** Only this source may serve the line, when the caller named one. */
  sourceId?: string;
  kind: HoldKind;
  state: HoldState;
  /**
   * Counts the times the line went on hold (a preorder that launches without stock starts a second,
   * backorder, episode). The ids of an episode's business events and reservation derive from
   * `episodeOf(hold)`, so every step can be retried without acting twice.
   */
  episodeNumber: number;
  /** When the line first went on hold; holds are released oldest `queuedAt` first. */
  queuedAt: string;
  /** When this episode began; the cancellation SLA counts from here. */
  heldAt: string;
  /** Backorder: the first day ATP can promise the quantity, or null when no day of the period can. */
  estimatedAvailableDate?: string | null;
  /** Preorder: the product's launch date when the hold was made. */
  launchDate?: string;
  /** Released: where and how the stock was reserved. */
  reservation?: { reservationId: string; sourceId: string };
  releasedAt?: string;
  cancelledAt?: string;
  /** Why a hold was cancelled: the SLA ran out, or the line left `on hold` some other way. */
  closeReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** Stock that can be reserved now at one source (the availableToReserve measure). */
export interface SourceAvailability {
  sourceId: string;
  available: number;
}

/** The ATP table of one source of the line's SKU. */
export interface SourceAtp {
  sourceId: string;
  days: readonly AtpDay[];
}

export interface PreorderTerms {
  eligible: boolean;
  launchDate: string;
}

export type LineDecision =
  | { kind: 'reserve'; sourceId: string }
  | { kind: 'backorder'; estimatedAvailableDate: string | null }
  | { kind: 'preorder'; launchDate: string };

/**
 * What to do with an order line: a preorder-eligible product before its launch date goes on preorder
 * hold (stock or not: it must not ship early); otherwise reserve at the source with the most
 * available stock that covers the line (or only at `sourceId` when given); otherwise backorder hold,
 * estimated for the first day any candidate source's ATP covers the quantity.
 */
export function decideLine(input: {
  quantity: number;
  today: string;
  preorder?: PreorderTerms;
  sourceId?: string;
  availability: readonly SourceAvailability[];
  atp: readonly SourceAtp[];
}): LineDecision {
  const { quantity, today, preorder, sourceId } = input;
  if (preorder?.eligible && today < preorder.launchDate) {
    return { kind: 'preorder', launchDate: preorder.launchDate };
  }
  const source = bestSource(input.availability, quantity, sourceId);
  if (source !== undefined) return { kind: 'reserve', sourceId: source };
  const dates = input.atp
    .filter((s) => sourceId === undefined || s.sourceId === sourceId)
    .map((s) => earliestPromiseDate(s.days, quantity))
    .filter((date): date is string => date !== undefined)
    .sort();
  return { kind: 'backorder', estimatedAvailableDate: dates[0] ?? null };
}

/**
 * The source with the most available stock that covers `quantity` (ties: the lower id, so the
 * choice is repeatable), only `only` when given; undefined when none covers it.
 */
export function bestSource(
  availability: readonly SourceAvailability[],
  quantity: number,
  only?: string
): string | undefined {
  let best: SourceAvailability | undefined;
  for (const candidate of availability) {
    if (only !== undefined && candidate.sourceId !== only) continue;
    if (candidate.available < quantity) continue;
    if (
      best === undefined ||
      candidate.available > best.available ||
      (candidate.available === best.available && candidate.sourceId < best.sourceId)
    ) {
      best = candidate;
    }
  }
  return best?.sourceId;
}

export type RecheckAction =
  /** Reserve at `sourceId` and release the hold (a preorder at or after its launch date, or a backorder with stock). */
  | { kind: 'release'; hold: InventoryHold; sourceId: string }
  /** A preorder whose product launched but has no stock yet: release the preorder hold, hold it as backorder. */
  | { kind: 'launch-to-backorder'; hold: InventoryHold }
  /** A backorder held longer than the cancellation SLA. */
  | { kind: 'cancel'; hold: InventoryHold }
  | { kind: 'keep'; hold: InventoryHold };

export interface RecheckInput {
  /** Held lines (other states are ignored), any SKUs. */
  holds: readonly InventoryHold[];
  /** Reservable stock per SKU and source, as read before the run. */
  availability: ReadonlyMap<string, readonly SourceAvailability[]>;
  /** The current preorder terms per SKU (a product's launch date may have moved since the hold). */
  preorders: ReadonlyMap<string, PreorderTerms | undefined>;
  now: Date;
  /** Cancel backorder holds older than this many days; absent: never. */
  cancelAfterDays?: number;
}

/**
 * The re-check of held lines, oldest first per SKU. Stock is handed out in `queuedAt` order and an
 * older line that does not fit stops the younger ones of its SKU from overtaking it (strict first
 * come, first served: otherwise a large line could wait forever behind a stream of small ones).
 * A preorder before its launch date waits for the date, not for stock, so it blocks nobody; a
 * backorder past the SLA is cancelled and takes no stock. Actions come back in processing order.
 */
export function planRecheck(input: RecheckInput): RecheckAction[] {
  const today = input.now.toISOString().slice(0, 10);
  const held = input.holds.filter((h) => h.state === 'held').sort(oldestFirst);
  const remaining = new Map<string, SourceAvailability[]>();
  const blocked = new Set<string>();
  const actions: RecheckAction[] = [];
  for (const hold of held) {
    if (hold.kind === 'preorder') {
      const terms = input.preorders.get(hold.sku);
      const launchDate = terms?.eligible ? terms.launchDate : undefined;
      if (launchDate !== undefined && today < launchDate) {
        actions.push({ kind: 'keep', hold });
        continue;
      }
    } else if (slaExpired(hold, input.now, input.cancelAfterDays)) {
      actions.push({ kind: 'cancel', hold });
      continue;
    }
    let stock = remaining.get(hold.sku);
    if (stock === undefined) {
      stock = (input.availability.get(hold.sku) ?? []).map((s) => ({ ...s }));
      remaining.set(hold.sku, stock);
    }
    const sourceId = blocked.has(hold.sku) ? undefined : bestSource(stock, hold.quantity, hold.sourceId);
    if (sourceId === undefined) {
      blocked.add(hold.sku);
      actions.push(hold.kind === 'preorder' ? { kind: 'launch-to-backorder', hold } : { kind: 'keep', hold });
      continue;
    }
    stock.find((s) => s.sourceId === sourceId)!.available -= hold.quantity;
    actions.push({ kind: 'release', hold, sourceId });
  }
  return actions;
}

/** Whether a backorder hold has waited `cancelAfterDays` days or more. */
export function slaExpired(hold: InventoryHold, now: Date, cancelAfterDays: number | undefined): boolean {
  if (cancelAfterDays === undefined || hold.kind !== 'backorder') return false;
  return now.getTime() - Date.parse(hold.heldAt) >= cancelAfterDays * 86_400_000;
}

function oldestFirst(a: InventoryHold, b: InventoryHold): number {
  return compare(a.queuedAt, b.queuedAt) || compare(a.orderId, b.orderId) || compare(a.lineId, b.lineId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The key of an order line in ids (`{orderId}-L{n}`, n its 1-based position; lines are never
 * reordered): short, and free of the characters line ids may hold but document and event ids may not.
 */
export function lineKeyOf(orderId: string, lineIndex: number): string {
  return `${orderId}-L${lineIndex + 1}`;
}

/** The current episode of a hold, e.g. `01J...-L2-h1`. */
export function episodeOf(hold: Pick<InventoryHold, 'id' | 'episodeNumber'>): string {
  return `${hold.id}-h${hold.episodeNumber}`;
}

/**
 * Ids derived from a hold episode: the business events raised for it and the reservation made when
 * it is released. Deterministic, so a re-check that stopped half-way repeats nothing.
 */
export const episodeIds = {
  applied: (episode: string) => `${episode}-held`,
  released: (episode: string) => `${episode}-released`,
  reserved: (episode: string) => `${episode}-on-hand`,
  cancelled: (episode: string) => `${episode}-cancelled`,
  reservation: (episode: string) => `hold-${episode}`,
};

/** Ids of the reservation an order line gets when it is checked and stock is there at once. */
export const lineCheckIds = {
  reservation: (lineKey: string) => `line-${lineKey}`,
  reserved: (lineKey: string) => `line-${lineKey}-on-hand`,
};
