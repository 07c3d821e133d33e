/**
 * Write journal for the embedded Cosmos server: every mutation of the in-memory store is appended
 * as one JSON line before the HTTP answer leaves, so acknowledged writes survive `kill -9` (the page
 * cache is enough; power loss is out of scope). At start the journal is replayed and then rewritten
 * as a snapshot, and again whenever it grows past `compactAtBytes`.
 *
 * The hook point is the library's `Items` base class: creates, replaces, upserts, patches and
 * deletes of databases, collections, documents and UDFs all end in `Items#_set` / `Items#delete`,
 * synchronously.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CosmosJournalError } from './errors';
import { itemsPrototype, kindOf } from './cosmosdb-server-shim';
import type {
  LibAccount,
  LibItem,
  LibItems,
  LibUserDefinedFunctions,
  ResourceKind,
  StoredResource,
} from './cosmosdb-server-shim';

type JournalRecord =
  | { t: 'set'; k: ResourceKind; p: string; d: StoredResource; rc: number }
  | { t: 'del'; k: ResourceKind; p: string; rid: string; rc: number }
  /** Keeps a container's rid counter across compactions even when all its items are gone. */
  | { t: 'rc'; k: ResourceKind; p: string; rc: number };

export const DEFAULT_COMPACT_AT_BYTES = 64 * 1024 * 1024;

// Items and Item objects of one account point at that account's journal through this tag, so two
// servers in one process keep separate journals.
const JOURNAL = Symbol('localFunctionsHost.cosmosJournal');
type Tagged = { [JOURNAL]?: CosmosJournal };

function journalOf(items: LibItems): CosmosJournal | undefined {
  return (items._parent as Tagged)[JOURNAL];
}

function parentSelf(items: LibItems): string {
  return items._parent.read()?._self ?? '';
}

let hooksInstalled = false;

/** Wraps `Items#_set` and `Items#delete` once per process; idempotent. */
export function installJournalHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const originalSet = itemsPrototype._set;
  const originalDelete = itemsPrototype.delete;

  itemsPrototype._set = function journaledSet(this: LibItems, data: StoredResource): StoredResource {
    const result = originalSet.call(this, data);
    const journal = journalOf(this);
    if (journal) {
      // Tag the new Item so the containers it owns (a database's collections, ...) find the journal.
      const item: (LibItem & Tagged) | undefined = this._data.get(data._rid);
      if (item) item[JOURNAL] = journal;
      const kind = kindOf(this);
      if (kind) journal.record({ t: 'set', k: kind, p: parentSelf(this), d: data, rc: this._ridCount });
    }
    return result;
  };

  itemsPrototype.delete = function journaledDelete(
    this: LibItems,
    idOrRid: string,
    partition: unknown
  ): void {
    const existing = this._item('/id', idOrRid, partition).read();
    originalDelete.call(this, idOrRid, partition);
    const journal = journalOf(this);
    const kind = kindOf(this);
    if (journal && kind && existing) {
      journal.record({ t: 'del', k: kind, p: parentSelf(this), rid: existing._rid, rc: this._ridCount });
    }
  };
}

/** Rebuilds a UDF's callable the way the library does when it is created. */
function defineUdf(body: unknown): unknown {
  if (typeof body !== 'string') return undefined;
  // The library compiles UDF bodies with `new Function` as well; replay has to do the same.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const compile = new Function(`"use strict";return (${body})`) as () => unknown;
  return compile();
}

export interface ReplayStats {
  records: number;
  skippedTornTail: boolean;
}

export class CosmosJournal {
  private fd: number | undefined;
  private size = 0;
  private compactedSize = 0;
  private pending: string[] = [];
  private transaction: string[] | undefined;
  private replaying = false;
  private account: LibAccount | undefined;

  constructor(
    readonly journalPath: string,
    private readonly compactAtBytes: number = DEFAULT_COMPACT_AT_BYTES
  ) {}

  /** Replays the journal into `account`, compacts it, and starts journaling that account. */
  open(account: LibAccount): ReplayStats {
    installJournalHooks();
    this.account = account;
    (account as LibAccount & Tagged)[JOURNAL] = this;
    fs.mkdirSync(path.dirname(this.journalPath), { recursive: true });
    const stats = this.replay(account);
    this.compact();
    return stats;
  }

  /** Called by the hooks for every mutation. */
  record(record: JournalRecord): void {
    if (this.replaying) return;
    const line = `${JSON.stringify(record)}\n`;
    (this.transaction ?? this.pending).push(line);
  }

  /** Buffers records apart until `commit` (kept) or `rollback` (dropped); used by atomic batches. */
  begin(): void {
    if (this.transaction) throw new CosmosJournalError('nested journal transaction', this.journalPath);
    this.transaction = [];
  }

  commit(): void {
    if (this.transaction) this.pending.push(...this.transaction);
    this.transaction = undefined;
  }

  rollback(): void {
    this.transaction = undefined;
  }

  /** Appends everything recorded so far in one write; called before each HTTP answer is sent. */
  flush(): void {
    if (this.pending.length === 0 || this.fd === undefined) return;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    writeFully(this.fd, buffer);
    this.size += buffer.length;
    // Twice the last snapshot as well: when live data alone exceeds the threshold, compacting on
    // every write would make each write cost a full rewrite.
    if (this.size > Math.max(this.compactAtBytes, 2 * this.compactedSize)) this.compact();
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Rewrites the journal as one record per live resource: temp file, fsync, rename. */
  compact(): void {
    const account = this.account;
    if (!account) return;
    // The snapshot is taken from memory, which already holds whatever is still pending.
    this.pending = [];
    const tempPath = `${this.journalPath}.tmp`;
    const out = fs.openSync(tempPath, 'w');
    try {
      const writer = new ChunkedWriter(out);
      for (const line of snapshotLines(account)) writer.write(line);
      writer.end();
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    if (this.fd !== undefined) fs.closeSync(this.fd);
    fs.renameSync(tempPath, this.journalPath);
    fsyncDirectory(path.dirname(this.journalPath));
    this.fd = fs.openSync(this.journalPath, 'a');
    this.size = fs.fstatSync(this.fd).size;
    this.compactedSize = this.size;
  }

  private replay(account: LibAccount): ReplayStats {
    let text: string;
    try {
      text = fs.readFileSync(this.journalPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: 0, skippedTornTail: false };
      throw new CosmosJournalError('cannot read journal', this.journalPath, { cause: err });
    }
    const lines = text.split('\n');
    // A complete journal ends with '\n', so the last element is '' unless a write was torn.
    const last = lines.length - 1;
    let records = 0;
    let skippedTornTail = false;
    this.replaying = true;
    try {
      for (let i = 0; i <= last; i += 1) {
        const line = lines[i];
        if (!line) continue;
        let record: JournalRecord;
        try {
          record = JSON.parse(line) as JournalRecord;
        } catch (err) {
          if (i === last) {
            skippedTornTail = true;
            break;
          }
          throw new CosmosJournalError(`unparsable record on line ${i + 1}`, this.journalPath, {
            cause: err,
          });
        }
        applyRecord(account, record, this.journalPath);
        records += 1;
      }
    } finally {
      this.replaying = false;
    }
    return { records, skippedTornTail };
  }
}

function containerFor(
  account: LibAccount,
  kind: ResourceKind,
  parent: string,
  journalPath: string
): LibItems {
  if (kind === 'db') return account.databases;
  const match = /^\/dbs\/([^/]+)(?:\/colls\/([^/]+))?$/.exec(parent);
  const database = match?.[1]
    ? (account.databases._data.get(match[1]) as (LibItem & { collections: LibItems }) | undefined)
    : undefined;
  if (!database)
    throw new CosmosJournalError(`parent ${parent} of a ${kind} record does not exist`, journalPath);
  if (kind === 'coll') return database.collections;
  const collection = match?.[2]
    ? (database.collections._data.get(match[2]) as
        (LibItem & { documents: LibItems; userDefinedFunctions: LibItems }) | undefined)
    : undefined;
  if (!collection)
    throw new CosmosJournalError(`parent ${parent} of a ${kind} record does not exist`, journalPath);
  return kind === 'doc' ? collection.documents : collection.userDefinedFunctions;
}

function applyRecord(account: LibAccount, record: JournalRecord, journalPath: string): void {
  const items = containerFor(account, record.k, record.p, journalPath);
  items._ridCount = Math.max(items._ridCount, record.rc);
  if (record.t === 'set') {
    // `_set` stores the data as given, so `_etag`, `_ts`, `_rid` and `_self` come back unchanged.
    items._set(record.d);
    if (record.k === 'udf')
      (items as LibUserDefinedFunctions).functions[record.d.id] = defineUdf(record.d.body);
  } else if (record.t === 'del') {
    const data = items._data.get(record.rid)?.read();
    if (data) items.delete(data.id, items._getPartition(data));
  }
}

function* snapshotLines(account: LibAccount): Generator<string> {
  yield* containerLines(account.databases, 'db');
  for (const database of account.databases._data.values()) {
    const collections = (database as LibItem & { collections: LibItems }).collections;
    yield* containerLines(collections, 'coll');
    for (const collection of collections._data.values()) {
      const { documents, userDefinedFunctions } = collection as LibItem & {
        documents: LibItems;
        userDefinedFunctions: LibItems;
      };
      yield* containerLines(userDefinedFunctions, 'udf');
      yield* containerLines(documents, 'doc');
    }
  }
}

function* containerLines(items: LibItems, kind: ResourceKind): Generator<string> {
  const p = parentSelf(items);
  const rc = items._ridCount;
  yield `${JSON.stringify({ t: 'rc', k: kind, p, rc } satisfies JournalRecord)}\n`;
  for (const item of items._data.values()) {
    const d = item.read();
    if (d) yield `${JSON.stringify({ t: 'set', k: kind, p, d, rc } satisfies JournalRecord)}\n`;
  }
}

function writeFully(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
}

/** Groups small lines into ~1 MiB writes so a snapshot of many documents stays fast. */
class ChunkedWriter {
  private parts: string[] = [];
  private length = 0;
  constructor(private readonly fd: number) {}
  write(line: string): void {
    this.parts.push(line);
    this.length += line.length;
    if (this.length >= 1 << 20) this.end();
  }
  end(): void {
    if (this.parts.length === 0) return;
    writeFully(this.fd, Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.length = 0;
  }
}

function fsyncDirectory(dir: string): void {
  // Makes the rename itself durable; some platforms cannot open directories, which is fine.
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}
