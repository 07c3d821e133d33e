/**
 * Group commit for HTTP answers: no response leaves before every journal record made before it is
 * written and fdatasync'ed. Responses that find undurable changes (or a commit in progress) wait for
 * the next group; one group writes and syncs each journal file once for all of them.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { promisify } from 'node:util';

export interface PendingWrite {
  fd: number;
  data: Buffer;
  /** The file is finished (its generation was sealed): close it once written. */
  closeAfter: boolean;
}

/** A journal whose records the group commit writes. */
export interface DurableSource {
  hasPending(): boolean;
  /** Hands over everything recorded so far; called once per group. */
  takeWrites(): PendingWrite[];
}

const writeAsync = promisify(fs.write);
const fdatasyncAsync = promisify(fs.fdatasync);
const closeAsync = promisify(fs.close);

const sources = new Set<DurableSource>();
let committing = false;
let waiting: Array<() => void> = [];

export function addDurableSource(source: DurableSource): void {
  sources.add(source);
}

function anyPending(): boolean {
  for (const source of sources) if (source.hasPending()) return true;
  return false;
}

function isDurable(): boolean {
  return !committing && !anyPending();
}

/** Calls `release` once everything recorded before this call is on disk. */
function whenDurable(release: () => void): void {
  if (isDurable()) {
    release();
    return;
  }
  waiting.push(release);
  if (!committing) void commitGroups();
}

/** Writes what is pending soon even if no response waits for it. */
export function commitSoon(): void {
  if (!committing) void commitGroups();
}

async function persist(write: PendingWrite): Promise<void> {
  let offset = 0;
  while (offset < write.data.length) {
    const { bytesWritten } = await writeAsync(write.fd, write.data, offset, write.data.length - offset, null);
    offset += bytesWritten;
  }
  await fdatasyncAsync(write.fd);
  if (write.closeAfter) await closeAsync(write.fd);
}

/** A failing response must neither stop the others nor pass for a journal failure. */
function releaseHeld(release: () => void): void {
  try {
    release();
  } catch (err) {
    process.emitWarning(err instanceof Error ? err : new Error('a held response failed'));
  }
}

async function commitGroups(): Promise<void> {
  committing = true;
  try {
    do {
      const group = waiting;
      waiting = [];
      const writes = [...sources].flatMap((source) => source.takeWrites());
      await Promise.all(writes.map(persist));
      for (const release of group) releaseHeld(release);
    } while (waiting.length > 0 || anyPending());
  } catch (err) {
    // Acknowledging anything now would be a lie; a restart recovers what is on disk.
    process.stderr.write(
      `journal: write failed, exiting: ${err instanceof Error ? err.message : String(err)}\n`
    );
    process.exit(1);
  } finally {
    committing = false;
  }
}

const HELD = Symbol('localFunctionsHost.heldResponse');
type Held = Array<() => void>;
/** `null`: this response was found durable (or released) and passes straight through. */
type Gated = http.ServerResponse & { [HELD]?: Held | null };

/**
 * The decision is taken at a response's first write or end: all its later output keeps its order
 * behind it, and once released it streams without further waits.
 */
function heldCalls(res: Gated): Held | null {
  const state = res[HELD];
  if (state !== undefined) return state;
  if (isDurable()) return (res[HELD] = null);
  const held: Held = [];
  res[HELD] = held;
  whenDurable(() => {
    res[HELD] = null;
    for (const call of held) releaseHeld(call);
  });
  return held;
}

let installed = false;

/** Makes every HTTP response of this process wait for the group commit; idempotent. */
export function holdResponsesUntilDurable(): void {
  if (installed) return;
  installed = true;
  // Headers go out with the first body bytes or the end, never earlier (Azurite does not flush them
  // on its own), so these two are where a response can leave.
  const proto = http.ServerResponse.prototype as unknown as {
    write: (this: Gated, ...args: unknown[]) => boolean;
    end: (this: Gated, ...args: unknown[]) => unknown;
  };
  const { write, end } = proto;
  proto.write = function heldWrite(this: Gated, ...args: unknown[]): boolean {
    const held = heldCalls(this);
    if (!held) return write.apply(this, args);
    held.push(() => write.apply(this, args));
    return true;
  };
  proto.end = function heldEnd(this: Gated, ...args: unknown[]): unknown {
    const held = heldCalls(this);
    if (!held) return end.apply(this, args);
    held.push(() => end.apply(this, args));
    return this;
  };
}
