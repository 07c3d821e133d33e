import { decodeRecords, encodeRecord } from '../../services/journal-records';

const payloads = ['{"op":"I"}', '{"op":"R","id":7}', ''].map((text) => Buffer.from(text));
const journal = Buffer.concat(payloads.map(encodeRecord));

describe('journal records', () => {
  it('decodes what was encoded', () => {
    expect(decodeRecords(journal)).toEqual({ payloads, validBytes: journal.length, torn: false });
  });

  it('stops at a record cut short and reports the tail', () => {
    const firstLength = encodeRecord(payloads[0]!).length;
    const cut = journal.subarray(0, firstLength + 12);
    expect(decodeRecords(cut)).toEqual({
      payloads: payloads.slice(0, 1),
      validBytes: firstLength,
      torn: true,
    });
  });

  it('stops at a header cut short', () => {
    const first = encodeRecord(payloads[0]!);
    const decoded = decodeRecords(Buffer.concat([first, Buffer.from([5, 0, 0])]));
    expect(decoded).toEqual({ payloads: payloads.slice(0, 1), validBytes: first.length, torn: true });
  });

  it('stops at a checksum mismatch and ignores everything after it', () => {
    const damaged = Buffer.from(journal);
    damaged[8] = damaged[8]! ^ 0xff;
    expect(decodeRecords(damaged)).toEqual({ payloads: [], validBytes: 0, torn: true });
  });

  it('treats an absurd length as damage', () => {
    const header = Buffer.alloc(8);
    header.writeUInt32LE(0xffffffff, 0);
    expect(decodeRecords(header).torn).toBe(true);
  });
});
