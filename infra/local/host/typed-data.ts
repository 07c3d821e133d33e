import type { RpcTypedData } from './core-types';

/** Turns a value an output binding received back into a JS value, as the host's converters do. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.string !== undefined && data.string !== null) return data.string;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json) as unknown;
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (data.int !== undefined && data.int !== null) return data.int;
  if (data.double !== undefined && data.double !== null) return data.double;
  if (data.collectionString?.string) return data.collectionString.string;
  return undefined;
}

/** The bytes to store for a value written to a queue message or a blob. */
export function toPayload(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function stringData(value: string): RpcTypedData {
  return { string: value };
}

export function jsonData(value: unknown): RpcTypedData {
  return { json: JSON.stringify(value) };
}
