import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeRecords, encodeRecord, WriteAheadJournal } from '../../durable/write-ahead-journal';

// A kill can cut the journal's last write anywhere: recovery keeps every record before the cut and
// nothing after it, and the journal goes on from there.
interface Rec {
  n: number;
  text?: string;
}

let directory: string;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-'));
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

function journalFiles(dir = directory): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^journal-\d+\.log$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

async function reopen(dir = directory) {
  const journal = new WriteAheadJournal<Rec, Rec>({ directory: dir, fsync: false });
  const recovered = await journal.open();
  return { journal, recovered };
}

async function appendAll(journal: WriteAheadJournal<Rec, Rec>, records: Rec[]): Promise<void> {
  await Promise.all(records.map((record) => journal.append(record)));
}

const numbered = (from: number, count: number): Rec[] =>
  Array.from({ length: count }, (_, i) => ({ n: from + i, text: `record ${from + i}` }));

it('gives back what was appended, in order, after a reopen', async () => {
  const { journal, recovered } = await reopen();
  expect(recovered).toEqual({ snapshot: [], records: [], tornTails: 0 });
  await appendAll(journal, numbered(0, 50));
  await journal.close();
  const again = await reopen();
  expect(again.recovered).toEqual({ snapshot: [], records: numbered(0, 50), tornTails: 0 });
  await again.journal.close();
});

it('ignores a last record cut mid-record, and appends after it survive the next reopen', async () => {
  const first = await reopen();
  await appendAll(first.journal, numbered(0, 10));
  await first.journal.close();
  const [file] = journalFiles();
  const size = fs.statSync(file!).size;
  const lastFrame = encodeRecord(numbered(9, 1)[0]).length;
  // Cut inside the last record's payload: its header is whole, its JSON is not.
  fs.truncateSync(file!, size - Math.floor(lastFrame / 2));

  const second = await reopen();
  expect(second.recovered.records).toEqual(numbered(0, 9));
  expect(second.recovered.tornTails).toBe(1);
  await appendAll(second.journal, numbered(100, 5));
  await second.journal.close();

  const third = await reopen();
  expect(third.recovered.records).toEqual([...numbered(0, 9), ...numbered(100, 5)]);
  expect(third.recovered.tornTails).toBe(1);
  await third.journal.close();
});

it('ignores a last record cut inside its header', async () => {
  const first = await reopen();
  await appendAll(first.journal, numbered(0, 3));
  await first.journal.close();
  const [file] = journalFiles();
  fs.appendFileSync(file!, Buffer.from([7, 0, 0]));
  const second = await reopen();
  expect(second.recovered).toEqual({ snapshot: [], records: numbered(0, 3), tornTails: 1 });
  await second.journal.close();
});

it('stops reading a generation at a record whose CRC does not match', async () => {
  const first = await reopen();
  await appendAll(first.journal, numbered(0, 5));
  await first.journal.close();
  const [file] = journalFiles();
  const content = fs.readFileSync(file!);
  const frame = encodeRecord(numbered(0, 1)[0]).length;
  // Flip one byte of the third record's payload (records 0..4 have frames of the same length).
  const flipped = 2 * frame + 8 + 3;
  content.writeUInt8(content.readUInt8(flipped) ^ 0xff, flipped);
  fs.writeFileSync(file!, content);
  const second = await reopen();
  expect(second.recovered.records).toEqual(numbered(0, 2));
  expect(second.recovered.tornTails).toBe(1);
  await second.journal.close();
});

it('decodes any cut of a valid journal as exactly the whole records before the cut', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ n: fc.integer(), text: fc.string() }), { maxLength: 20 }),
      fc.nat(),
      (records, cutSeed) => {
        const frames = records.map((record) => encodeRecord(record));
        const all = Buffer.concat(frames);
        const cut = all.length === 0 ? 0 : cutSeed % (all.length + 1);
        let whole = 0;
        for (let end = 0, i = 0; i < frames.length; i++) {
          end += frames[i]!.length;
          if (end <= cut) whole = i + 1;
        }
        const decoded = decodeRecords<Rec>(all.subarray(0, cut));
        expect(decoded.records).toEqual(records.slice(0, whole));
        expect(decoded.torn).toBe(cut !== frames.slice(0, whole).reduce((sum, f) => sum + f.length, 0));
      }
    )
  );
});

it('recovers a snapshot and the records appended after it, and drops the journals it covers', async () => {
  const first = await reopen();
  const state: Rec[] = [];
  const record = async (records: Rec[]) => {
    state.push(...records);
    await appendAll(first.journal, records);
  };
  await record(numbered(0, 10));
  await first.journal.snapshot(() => [...state]);
  await record(numbered(10, 5));
  await first.journal.close();
  expect(journalFiles()).toHaveLength(1);

  const second = await reopen();
  expect(second.recovered.snapshot).toEqual(numbered(0, 10));
  expect(second.recovered.records).toEqual(numbered(10, 5));
  await second.journal.close();
});

it('a snapshot taken while appends are in flight loses none of them', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
      async (before, during, after) => {
        const dir = fs.mkdtempSync(path.join(directory, 'p-'));
        const { journal } = await reopen(dir);
        // The state as the store keeps it: applied at append, so the snapshot sees every record
        // appended before it starts, durable or not.
        const state: Rec[] = [];
        const append = (record: Rec) => {
          state.push(record);
          return journal.append(record);
        };
        const inFlight = numbered(0, before).map(append);
        const snapshot = journal.snapshot(() => [...state]);
        inFlight.push(...numbered(before, during).map(append));
        await snapshot;
        inFlight.push(...numbered(before + during, after).map(append));
        await Promise.all(inFlight);
        await journal.close();

        const { journal: reopened, recovered } = await reopen(dir);
        await reopened.close();
        // A record may be both in the snapshot and replayed after it (replay is idempotent for the
        // store); none may be missing, and the order of first appearance is the order of appends.
        const seen = new Map<number, Rec>();
        for (const r of [...recovered.snapshot, ...recovered.records]) seen.set(r.n, r);
        expect([...seen.keys()].sort((a, b) => a - b)).toEqual(
          numbered(0, before + during + after).map((r) => r.n)
        );
        expect(recovered.records.map((r) => r.n)).toEqual(
          [...recovered.records.map((r) => r.n)].sort((a, b) => a - b)
        );
        expect(recovered.tornTails).toBe(0);
      }
    ),
    { numRuns: 25 }
  );
});

it('keeps the snapshot and the journals after it when a crash came between the rename and the deletes', async () => {
  const first = await reopen();
  await appendAll(first.journal, numbered(0, 4));
  await first.journal.close();
  const oldGeneration = fs.readFileSync(journalFiles()[0]!);

  const second = await reopen();
  await second.journal.snapshot(() => numbered(0, 4));
  await appendAll(second.journal, numbered(4, 2));
  await second.journal.close();
  // The generation the snapshot covers is back, as if its delete had not happened yet.
  fs.writeFileSync(path.join(directory, 'journal-00000001.log'), oldGeneration);

  const third = await reopen();
  expect(third.recovered.snapshot).toEqual(numbered(0, 4));
  expect(third.recovered.records).toEqual(numbered(4, 2));
  await third.journal.close();
});
