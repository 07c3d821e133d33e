import type { MessageRef, ReceivedMessage } from './task-hub-store';

/** A message as stored: what is journaled of it (leases are not: they end with the process). */
export interface StoredMessage {
  id: string;
  body: unknown;
  /** Epoch milliseconds from which it may be received (later than sent for a delayed message). */
  visibleAt: number;
}

interface Held extends StoredMessage {
  /** Bumped by every receive and renewal: a lease's pop receipt. */
  receipt: number;
  dequeueCount: number;
}

/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

interface Slot {
  at: number;
  id: string;
  receipt: number;
}

/**
 * An in-memory queue with the Azure Storage queue's semantics: FIFO among visible messages, a lease
 * per receive (invisible until it ends, renewable, deleted only with its current receipt), delayed
 * visibility. Visible messages wait in a FIFO; invisible ones in a heap by the time they turn
 * visible, so a receive does not walk past thousands of pending timers. `wake` is called when the
 * earliest invisible message turns visible.
 */
export class MessageQueue {
  #messages = new Map<string, Held>();
  #ready: Slot[] = [];
  #readyHead = 0;
  #later = new SlotHeap();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #stopped = false;

  constructor(private readonly wake: () => void) {}

  add(message: StoredMessage): void {
    const held: Held = { ...message, receipt: 0, dequeueCount: 0 };
    this.#messages.set(message.id, held);
    this.#place(held, Date.now());
  }

  delete(id: string): void {
    this.#messages.delete(id);
  }

  /** Whether `ref` still names a message under its current receipt (so deleting it takes effect). */
  holds(ref: MessageRef): boolean {
    return this.#messages.get(ref.messageId)?.receipt === Number(ref.popReceipt);
  }

  receive<T>(count: number, leaseMs: number, now: number): ReceivedMessage<T>[] {
    while (this.#later.size > 0 && this.#later.peek()!.at <= now) this.#ready.push(this.#later.pop()!);
    const received: ReceivedMessage<T>[] = [];
    while (received.length < count && this.#readyHead < this.#ready.length) {
      const slot = this.#ready[this.#readyHead++]!;
      const held = this.#messages.get(slot.id);
      if (!held || held.receipt !== slot.receipt) continue;
      held.receipt++;
      held.dequeueCount++;
      held.visibleAt = now + leaseMs;
      this.#place(held, now);
      received.push({
        messageId: held.id,
        popReceipt: String(held.receipt),
        dequeueCount: held.dequeueCount,
        body: held.body as T,
      });
    }
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready = this.#ready.slice(this.#readyHead);
      this.#readyHead = 0;
    }
    return received;
  }

  /** Extends the lease; the new receipt, or undefined if the message is gone or leased again. */
  renew(ref: MessageRef, leaseMs: number, now: number): string | undefined {
    const held = this.#messages.get(ref.messageId);
    if (!held || held.receipt !== Number(ref.popReceipt)) return undefined;
    held.receipt++;
    held.visibleAt = now + leaseMs;
    this.#place(held, now);
    return String(held.receipt);
  }

  /** Every message visible now: for work items whose runner died with the process that held them. */
  releaseAll(now: number): void {
    for (const held of this.#messages.values()) {
      held.receipt++;
      held.visibleAt = now;
      this.#place(held, now);
    }
  }

  /** Messages as the journal keeps them, for a snapshot. */
  stored(): StoredMessage[] {
    return [...this.#messages.values()].map(({ id, body, visibleAt }) => ({ id, body, visibleAt }));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #place(held: Held, now: number): void {
    const slot = { at: held.visibleAt, id: held.id, receipt: held.receipt };
    if (held.visibleAt <= now) {
      this.#ready.push(slot);
      this.wake();
      return;
    }
    this.#later.push(slot);
    this.#arm();
  }

  #arm(): void {
    const next = this.#later.peek();
    if (!next || next.at >= this.#timerAt || this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timerAt = next.at;
    this.#timer = setTimeout(
      () => {
        this.#timerAt = Infinity;
        // Due slots go to the FIFO now (as a receive would), so the timer is not armed for them again.
        const now = Date.now();
        let due = false;
        while (this.#later.size > 0 && this.#later.peek()!.at <= now) {
          this.#ready.push(this.#later.pop()!);
          due = true;
        }
        if (due) this.wake();
        this.#arm();
      },
      // Node fires a longer timer after 1 ms: a far one is armed in steps.
      Math.min(maxTimerMs, Math.max(0, next.at - Date.now()))
    );
    this.#timer.unref();
  }
}

/** A binary min-heap of slots by `at`. */
class SlotHeap {
  #items: Slot[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Slot | undefined {
    return this.#items[0];
  }

  push(slot: Slot): void {
    const items = this.#items;
    items.push(slot);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= slot.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = slot;
  }

  pop(): Slot | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
