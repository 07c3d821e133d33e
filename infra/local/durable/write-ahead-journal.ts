import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * A write-ahead journal of JSON records in a directory: `journal-<generation>.log` files of framed
 * records (length, CRC-32, JSON) and one `snapshot.json` that holds the state up to a generation.
 *
 * Appends are group-committed: records appended while a write is under way go out together in the
 * next write, followed by one fsync, and every append's promise resolves when its group is durable.
 * A snapshot starts a new generation, writes the state beside the journal as framed records too
 * (streamed, so its size is not bound by one string), renames it into place and only then deletes
 * the generations it covers, so a crash at any point leaves a whole snapshot and the journals after
 * it. The snapshot is fuzzy: it may already hold changes of the generation after it, which replay
 * applies again; every record must therefore say what to set, not what to add. On open, each generation is read up to its first record that is cut short or
 * fails its CRC (the tail a kill left half written), and appends go to a new generation.
 */
export interface JournalOptions {
  directory: string;
  /** fsync each group (default). Without it a kill -9 loses nothing, a power cut may. */
  fsync: boolean;
}

export interface Recovered<S, R> {
  /** The snapshot's items, in the order they were written. */
  snapshot: S[];
  records: R[];
  /** Generations whose reading stopped at a torn or corrupt record. */
  tornTails: number;
}

const headerBytes = 8;
const snapshotName = 'snapshot.log';
/** Snapshot records are written in chunks of about this size, yielding to other work between them. */
const snapshotChunkBytes = 1024 * 1024;

export class WriteAheadJournal<R, S = unknown> {
  #generation = 0;
  #file: fs.promises.FileHandle | undefined;
  #queued: Buffer[] = [];
  #waiting: { resolve: () => void; reject: (err: Error) => void }[] = [];
  #writing: Promise<void> | undefined;
  /** The group being written, to the file that was current when it started. */
  #group: Promise<void> = Promise.resolve();
  #bytesSinceSnapshot = 0;
  #failed: Error | undefined;

  constructor(private readonly options: JournalOptions) {}

  get bytesSinceSnapshot(): number {
    return this.#bytesSinceSnapshot;
  }

  /** Reads the snapshot and every record after it, then opens a new generation for appends. */
  async open(): Promise<Recovered<S, R>> {
    const { directory } = this.options;
    await fs.promises.mkdir(directory, { recursive: true });
    let snapshot: { generation: number; items: S[] } | undefined;
    try {
      const read = decodeRecords<unknown>(await fs.promises.readFile(path.join(directory, snapshotName)));
      // Renamed into place only once whole, so a torn snapshot is a damaged disk, not a crash.
      if (read.torn) throw new Error(`${path.join(directory, snapshotName)} is damaged.`);
      const [header, ...items] = read.records as [{ generation: number }, ...S[]];
      snapshot = { generation: header.generation, items };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const generations = (await fs.promises.readdir(directory))
      .map((name) => /^journal-(\d+)\.log$/.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    const records: R[] = [];
    let tornTails = 0;
    for (const generation of generations) {
      if (snapshot && generation < snapshot.generation) continue;
      const content = await fs.promises.readFile(this.#path(generation));
      const read = decodeRecords<R>(content);
      records.push(...read.records);
      if (read.torn) tornTails++;
    }
    this.#generation = Math.max(snapshot?.generation ?? 0, ...generations, 0) + 1;
    this.#file = await fs.promises.open(this.#path(this.#generation), 'a');
    return { snapshot: snapshot?.items ?? [], records, tornTails };
  }

  /** Resolves once the record is written (and fsynced, unless turned off). */
  append(record: R): Promise<void> {
    return this.appendText(JSON.stringify(record));
  }

  /** `append` of a record already in JSON. */
  appendText(json: string): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed);
    const frame = encodeFrame(json);
    this.#queued.push(frame);
    this.#bytesSinceSnapshot += frame.length;
    const done = new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#writing ??= this.#writeGroups();
    return done;
  }

  /**
   * Writes what `items` yields as the snapshot, then drops the journals it covers. It is started at
   * the instant appends move to a new generation, so it holds at least every record of the
   * generations it covers (and perhaps later ones: see above).
   */
  async snapshot(items: () => Iterable<S>): Promise<void> {
    const next = await fs.promises.open(this.#path(this.#generation + 1), 'a');
    const header = { generation: this.#generation + 1 };
    const iterator = items()[Symbol.iterator]();
    const covered = this.#generation;
    const previous = this.#file!;
    this.#file = next;
    this.#generation++;
    this.#bytesSinceSnapshot = 0;
    await this.#group.catch(() => undefined);
    await previous.close();
    const { directory } = this.options;
    const temporary = path.join(directory, `${snapshotName}.tmp`);
    const handle = await fs.promises.open(temporary, 'w');
    try {
      let chunk: Buffer[] = [encodeRecord(header)];
      let bytes = 0;
      for (let item = iterator.next(); !item.done; item = iterator.next()) {
        const frame = encodeRecord(item.value);
        chunk.push(frame);
        bytes += frame.length;
        if (bytes >= snapshotChunkBytes) {
          await handle.write(Buffer.concat(chunk));
          chunk = [];
          bytes = 0;
        }
      }
      await handle.write(Buffer.concat(chunk));
      if (this.options.fsync) await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, path.join(directory, snapshotName));
    for (const name of await fs.promises.readdir(directory)) {
      const match = /^journal-(\d+)\.log$/.exec(name);
      if (match && Number(match[1]) <= covered) await fs.promises.rm(path.join(directory, name));
    }
  }

  async close(): Promise<void> {
    await this.#writing;
    await this.#file?.close();
    this.#file = undefined;
  }

  async #writeGroups(): Promise<void> {
    while (this.#queued.length > 0) {
      const frames = this.#queued;
      const waiting = this.#waiting;
      this.#queued = [];
      this.#waiting = [];
      try {
        this.#group = this.#writeGroup(this.#file!, Buffer.concat(frames));
        await this.#group;
        for (const w of waiting) w.resolve();
      } catch (err) {
        // A journal that failed a write may hold a partial record: nothing after it may count.
        this.#failed = err instanceof Error ? err : new Error(String(err));
        for (const w of [...waiting, ...this.#waiting]) w.reject(this.#failed);
        this.#queued = [];
        this.#waiting = [];
      }
    }
    this.#writing = undefined;
  }

  async #writeGroup(file: fs.promises.FileHandle, frames: Buffer): Promise<void> {
    await file.write(frames);
    if (this.options.fsync) await file.datasync();
  }

  #path(generation: number): string {
    return path.join(this.options.directory, `journal-${String(generation).padStart(8, '0')}.log`);
  }
}

export function encodeRecord(record: unknown): Buffer {
  return encodeFrame(JSON.stringify(record));
}

function encodeFrame(json: string): Buffer {
  const payload = Buffer.from(json, 'utf8');
  const frame = Buffer.allocUnsafe(headerBytes + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, headerBytes);
  return frame;
}

/** The records of one journal file, up to the first that is cut short or fails its check. */
export function decodeRecords<R>(content: Buffer): { records: R[]; torn: boolean } {
  const records: R[] = [];
  let offset = 0;
  while (offset < content.length) {
    if (content.length - offset < headerBytes) return { records, torn: true };
    const length = content.readUInt32LE(offset);
    const checksum = content.readUInt32LE(offset + 4);
    const end = offset + headerBytes + length;
    if (end > content.length) return { records, torn: true };
    const payload = content.subarray(offset + headerBytes, end);
    if (crc32(payload) !== checksum) return { records, torn: true };
    records.push(JSON.parse(payload.toString('utf8')) as R);
    offset = end;
  }
  return { records, torn: false };
}
