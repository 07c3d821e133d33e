/**
 * Framing of write-journal records: payload length (u32 LE), CRC32 of the payload (u32 LE), payload.
 * A process killed in the middle of an append leaves a record that is cut short or whose checksum
 * does not match; reading stops there, because nothing after a damaged record was acknowledged.
 */
import * as zlib from 'node:zlib';

const HEADER_BYTES = 8;
/** Far above any record written; a larger length field is damage, not a record. */
const MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;

export function encodeRecord(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(zlib.crc32(payload), 4);
  payload.copy(record, HEADER_BYTES);
  return record;
}

export interface DecodedRecords {
  payloads: Buffer[];
  /** Bytes up to the end of the last intact record. */
  validBytes: number;
  /** True when bytes follow the last intact record (a torn or damaged tail). */
  torn: boolean;
}

export function decodeRecords(data: Buffer): DecodedRecords {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= data.length) {
    const length = data.readUInt32LE(offset);
    const end = offset + HEADER_BYTES + length;
    if (length > MAX_PAYLOAD_BYTES || end > data.length) break;
    const payload = data.subarray(offset + HEADER_BYTES, end);
    if (zlib.crc32(payload) !== data.readUInt32LE(offset + 4)) break;
    payloads.push(payload);
    offset = end;
  }
  return { payloads, validBytes: offset, torn: offset < data.length };
}
