/**
 * Write-ahead journal for the LokiJS databases Azurite keeps its metadata in (queues, messages,
 * tables, entities, containers, blobs, extents). Loki only writes a whole snapshot every 5 s, so a
 * `kill -9` used to lose every write of the last seconds although Azurite had acknowledged it.
 *
 * Loki's own changes API records each insert, update and remove of a collection as a clone of the
 * document (with its `$loki`); creating and dropping collections (Azurite does that for tables) is
 * recorded here. Records go to `<db file>.journal.<generation>` and are made durable by the group
 * commit in durable-responses before any HTTP answer leaves. Each snapshot Loki writes is a cut: the
 * generation it covers is sealed, and deleted once the snapshot file is safely renamed and synced.
 * Loading a snapshot replays the remaining generations on top of it, idempotently by `$loki`.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { addDurableSource, commitSoon, holdResponsesUntilDurable } from './durable-responses';
import type { DurableSource, PendingWrite } from './durable-responses';
import { decodeRecords, encodeRecord } from './journal-records';

interface LokiDoc {
  $loki: number;
  [field: string]: unknown;
}

interface Change {
  name: string;
  operation: 'I' | 'U' | 'R';
  obj: LokiDoc;
}

interface Collection {
  name: string;
  data: LokiDoc[];
  idIndex: number[] | null;
  maxId: number;
  dirty: boolean;
  disableChangesApi: boolean;
  disableDeltaChangesApi: boolean;
  uniqueNames: string[];
  constraints: { unique: Record<string, unknown> };
  changes: Change[];
  setChangesApi(enabled: boolean): void;
  flushChanges(): void;
  ensureId(): void;
  ensureAllIndexes(force: boolean): void;
  ensureUniqueIndex(field: string): unknown;
}

interface Loki {
  filename: string;
  persistenceMethod: string | null;
  collections: Collection[];
}

type Callback = (err?: unknown) => void;

interface LokiMethods {
  addCollection: (this: Loki, name: string, options?: object) => Collection;
  removeCollection: (this: Loki, name: string) => void;
  loadJSONObject: (this: Loki, dbObject: unknown, options?: unknown) => void;
  loadDatabase: (this: Loki, options: unknown, callback?: Callback) => void;
  saveDatabaseInternal: (this: Loki, callback?: Callback) => void;
  serialize: (this: Loki, options?: unknown) => unknown;
}

type JournalRecord =
  | { op: 'C'; c: string; o: object }
  | { op: 'D'; c: string }
  | { op: 'I' | 'U'; c: string; d: LokiDoc }
  | { op: 'R'; c: string; id: number };

export type Durability = 'journal' | 'none';

export function durabilityFrom(value: string | undefined): Durability {
  if (value === undefined || value === '' || value === 'journal') return 'journal';
  if (value === 'none') return 'none';
  throw new Error(`FUNCTIONS_HOST_DURABILITY must be "journal" or "none", not "${value}"`);
}

/** Loki as Azurite loads it, so both patch and use the same module instance. */
function azuriteLoki(): { prototype: LokiMethods } {
  const azuriteRequire = createRequire(require.resolve('azurite/dist/src/azurite.js'));
  return azuriteRequire('lokijs') as { prototype: LokiMethods };
}

let original: LokiMethods | undefined;
function lokiOriginal(): LokiMethods {
  if (!original) throw new Error('Loki journal hooks are not installed');
  return original;
}

const journals = new WeakMap<Loki, DbJournal>();
/** Set while Loki inflates a snapshot: the collections it adds are not new. */
let inflating = false;

function trackChanges(coll: Collection): void {
  coll.setChangesApi(true);
  // Full clones, not deltas: a record must stand on its own at replay.
  coll.disableDeltaChangesApi = true;
}

function findCollection(db: Loki, name: string): Collection | undefined {
  return db.collections.find((coll) => coll.name === name);
}

function changeRecord(change: Change): JournalRecord {
  if (change.operation === 'R') return { op: 'R', c: change.name, id: change.obj.$loki };
  return { op: change.operation, c: change.name, d: change.obj };
}

/** Applies journal records over a loaded snapshot; indices are rebuilt once at the end. */
class Replay {
  private readonly docs = new Map<Collection, Map<number, LokiDoc>>();

  constructor(private readonly db: Loki) {}

  private docsOf(coll: Collection): Map<number, LokiDoc> {
    let docs = this.docs.get(coll);
    if (!docs) {
      docs = new Map(coll.data.map((doc) => [doc.$loki, doc]));
      this.docs.set(coll, docs);
    }
    return docs;
  }

  apply(record: JournalRecord): void {
    const coll = findCollection(this.db, record.c);
    switch (record.op) {
      case 'C': {
        // The collection did not exist when this was recorded; one in the snapshot is that very
        // collection, and the records after this one rebuild its contents.
        if (coll) this.drop(coll);
        const created = lokiOriginal().addCollection.call(this.db, record.c, record.o);
        trackChanges(created);
        this.docs.set(created, new Map());
        return;
      }
      case 'D':
        if (coll) this.drop(coll);
        return;
      case 'I':
      case 'U':
        if (!coll) return;
        this.docsOf(coll).set(record.d.$loki, record.d);
        coll.maxId = Math.max(coll.maxId, record.d.$loki);
        return;
      case 'R':
        if (coll) this.docsOf(coll).delete(record.id);
        return;
    }
  }

  private drop(coll: Collection): void {
    this.docs.delete(coll);
    lokiOriginal().removeCollection.call(this.db, coll.name);
  }

  finish(): void {
    for (const [coll, docs] of this.docs) {
      coll.data = [...docs.values()].sort((a, b) => a.$loki - b.$loki);
      coll.idIndex = null;
      coll.ensureId();
      coll.constraints.unique = {};
      for (const field of coll.uniqueNames) coll.ensureUniqueIndex(field);
      coll.ensureAllIndexes(true);
    }
    // The next autosave then writes a snapshot that covers the replayed records.
    for (const coll of this.db.collections) coll.dirty = true;
  }
}

class DbJournal implements DurableSource {
  private generation = 0;
  private fd = -1;
  private pending: Buffer[] = [];
  private sealed: PendingWrite[] = [];

  constructor(private readonly db: Loki) {}

  private get prefix(): string {
    return `${path.basename(this.db.filename)}.journal.`;
  }

  private file(generation: number): string {
    return path.join(path.dirname(this.db.filename), `${this.prefix}${generation}`);
  }

  private generations(): number[] {
    const dir = path.dirname(this.db.filename);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(this.prefix) && /^\d+$/.test(name.slice(this.prefix.length)))
      .map((name) => Number(name.slice(this.prefix.length)))
      .sort((a, b) => a - b);
  }

  /** Replays what earlier runs left, then appends to a new generation (never after a torn tail). */
  open(): void {
    const generations = this.generations();
    const replay = new Replay(this.db);
    let records = 0;
    let tornBytes = 0;
    for (const [i, generation] of generations.entries()) {
      const file = this.file(generation);
      const data = fs.readFileSync(file);
      const decoded = decodeRecords(data);
      for (const payload of decoded.payloads) {
        replay.apply(JSON.parse(payload.toString('utf8')) as JournalRecord);
      }
      records += decoded.payloads.length;
      if (decoded.torn) {
        // Nothing after a torn record was acknowledged; cut it off so later replays read past it.
        tornBytes = data.length - decoded.validBytes;
        fs.truncateSync(file, decoded.validBytes);
        for (const later of generations.slice(i + 1)) fs.unlinkSync(this.file(later));
        break;
      }
    }
    if (records > 0) replay.finish();
    if (records > 0 || tornBytes > 0) {
      const torn = tornBytes > 0 ? `; ignored a torn tail of ${tornBytes} bytes` : '';
      process.stderr.write(`journal: replayed ${records} records into ${this.db.filename}${torn}\n`);
    }
    fs.mkdirSync(path.dirname(this.db.filename), { recursive: true });
    this.startGeneration((generations.at(-1) ?? 0) + 1);
    addDurableSource(this);
  }

  private startGeneration(generation: number): void {
    this.generation = generation;
    this.fd = fs.openSync(this.file(generation), 'a');
  }

  append(record: JournalRecord): void {
    this.pending.push(encodeRecord(Buffer.from(JSON.stringify(record), 'utf8')));
  }

  /** Moves the changes Loki recorded into the journal buffer, in order per collection. */
  drain(): void {
    for (const coll of this.db.collections) {
      if (coll.changes.length === 0) continue;
      for (const change of coll.changes) this.append(changeRecord(change));
      coll.flushChanges();
    }
  }

  hasPending(): boolean {
    return (
      this.pending.length > 0 ||
      this.sealed.length > 0 ||
      this.db.collections.some((coll) => coll.changes.length > 0)
    );
  }

  takeWrites(): PendingWrite[] {
    this.drain();
    const writes = this.sealed;
    this.sealed = [];
    if (this.pending.length > 0) {
      writes.push({ fd: this.fd, data: Buffer.concat(this.pending), closeAfter: false });
      this.pending = [];
    }
    return writes;
  }

  /** Called right before Loki serializes a snapshot; returns the last generation it covers. */
  cut(): number {
    this.drain();
    const covered = this.generation;
    this.sealed.push({ fd: this.fd, data: Buffer.concat(this.pending), closeAfter: true });
    this.pending = [];
    this.startGeneration(covered + 1);
    commitSoon();
    return covered;
  }

  /** Loki renamed the new snapshot into place: once it is synced, the covered generations go. */
  async snapshotSaved(covered: number): Promise<void> {
    const handle = await fs.promises.open(this.db.filename, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (const generation of this.generations()) {
      if (generation <= covered) await fs.promises.rm(this.file(generation), { force: true });
    }
  }
}

/** The journal of a file-backed database, opened (and replayed) on first use. */
function journalOf(db: Loki): DbJournal | undefined {
  if (db.persistenceMethod !== 'fs' || inflating) return undefined;
  let journal = journals.get(db);
  if (!journal) {
    journal = new DbJournal(db);
    journals.set(db, journal);
    journal.open();
  }
  return journal;
}

function finish(callback: Callback | undefined, err: unknown): void {
  // Loki's own default when no callback is given.
  if (callback) callback(err);
  else if (err) throw err instanceof Error ? err : new Error(`Loki: ${JSON.stringify(err)}`);
}

/** Patches Loki before Azurite creates its databases; idempotent. */
export function installLokiJournal(): void {
  if (original) return;
  const proto = azuriteLoki().prototype;
  const base: LokiMethods = {
    addCollection: proto.addCollection,
    removeCollection: proto.removeCollection,
    loadJSONObject: proto.loadJSONObject,
    loadDatabase: proto.loadDatabase,
    saveDatabaseInternal: proto.saveDatabaseInternal,
    serialize: proto.serialize,
  };
  original = base;

  proto.addCollection = function journaledAddCollection(name, options) {
    const journal = journalOf(this);
    const isNew = !findCollection(this, name);
    if (journal && isNew) journal.drain();
    const coll = base.addCollection.call(this, name, options);
    if (this.persistenceMethod === 'fs') trackChanges(coll);
    if (journal && isNew) journal.append({ op: 'C', c: name, o: options ?? {} });
    return coll;
  };

  proto.removeCollection = function journaledRemoveCollection(name) {
    const journal = journalOf(this);
    if (journal && findCollection(this, name)) {
      // The collection's own pending changes go first: they are gone with it afterwards.
      journal.drain();
      journal.append({ op: 'D', c: name });
    }
    base.removeCollection.call(this, name);
  };

  proto.loadJSONObject = function inflateTracked(dbObject, options) {
    inflating = true;
    try {
      base.loadJSONObject.call(this, dbObject, options);
    } finally {
      inflating = false;
    }
    if (this.persistenceMethod !== 'fs') return;
    for (const coll of this.collections) {
      trackChanges(coll);
      coll.flushChanges();
    }
  };

  proto.loadDatabase = function loadThenReplay(options, callback) {
    if (this.persistenceMethod !== 'fs') return base.loadDatabase.call(this, options, callback);
    base.loadDatabase.call(this, options, (err?: unknown) => {
      if (err) return finish(callback, err);
      try {
        journalOf(this);
      } catch (replayError) {
        return finish(callback, replayError);
      }
      finish(callback, undefined);
    });
  };

  proto.saveDatabaseInternal = function saveAtCut(callback) {
    const journal = journalOf(this);
    if (!journal) return base.saveDatabaseInternal.call(this, callback);
    // Loki serializes synchronously inside this call, so the cut and the snapshot see the same state.
    const covered = journal.cut();
    base.saveDatabaseInternal.call(this, (err?: unknown) => {
      if (!err) {
        // Failing to drop old generations only costs a longer replay later.
        journal.snapshotSaved(covered).catch(() => undefined);
      }
      finish(callback, err);
    });
  };

  proto.serialize = function serializeUntracked(options) {
    if (!journals.has(this)) return base.serialize.call(this, options);
    // Snapshots look as Azurite writes them: without the journal, loaded collections keep no changes.
    const tracked = this.collections.filter((coll) => !coll.disableChangesApi);
    for (const coll of tracked) coll.disableChangesApi = true;
    try {
      return base.serialize.call(this, options);
    } finally {
      for (const coll of tracked) coll.disableChangesApi = false;
    }
  };

  holdResponsesUntilDurable();
}
