import {
  BindingExpressionError,
  resolveAppSettings,
  resolveBindingPath,
} from '../../host/binding-expressions';
import { parseBlobPath } from '../../host/blob-listener';
import { timeSpanMs } from '../../host/host-settings';
import { decodeMessage, encodeMessage, MessageEncodingError } from '../../host/queue-encoding';

describe('binding expressions', () => {
  const now = new Date('2026-01-02T03:04:05.000Z');

  it('reads %settings% from the environment and fails clearly when one is missing', () => {
    expect(resolveAppSettings('%QUEUE%-in', { QUEUE: 'orders' })).toBe('orders-in');
    expect(() => resolveAppSettings('%MISSING%', {})).toThrow(BindingExpressionError);
  });

  it('fills {name} from trigger data, case-insensitively and through dotted paths', () => {
    expect(resolveBindingPath('out/{Name}-{order.id}.json', { name: 'a', order: { id: 7 } }, now)).toBe(
      'out/a-7.json'
    );
    expect(resolveBindingPath('logs/{DateTime}', {}, now)).toBe('logs/2026-01-02T03:04:05.000Z');
    expect(resolveBindingPath('x/{rand-guid}', {}, now)).toMatch(/^x\/[0-9a-f-]{36}$/);
    expect(() => resolveBindingPath('x/{nope}', {}, now)).toThrow(BindingExpressionError);
  });
});

describe('blob trigger paths', () => {
  it('splits container, listing prefix and name parameters', () => {
    const p = parseBlobPath('imports/inventory/{file}.csv');
    expect(p.container).toBe('imports');
    expect(p.prefix).toBe('inventory/');
    expect(p.match('inventory/week-1.csv')).toEqual({ file: 'week-1' });
    expect(p.match('inventory/week-1.json')).toBeUndefined();
    expect(parseBlobPath('drop').match('a/b.txt')).toEqual({ name: 'a/b.txt' });
  });
});

describe('queue message encoding', () => {
  it('round-trips base64 and refuses text that is not base64', () => {
    const text = encodeMessage(Buffer.from('{"a":"ü"}'), 'base64');
    expect(decodeMessage(text, 'base64')).toBe('{"a":"ü"}');
    expect(() => decodeMessage('{"plain":true}', 'base64')).toThrow(MessageEncodingError);
    expect(decodeMessage('{"plain":true}', 'none')).toBe('{"plain":true}');
  });
});

describe('host.json TimeSpans', () => {
  it('parses hh:mm:ss, fractions and days', () => {
    expect(timeSpanMs('00:00:30', 0)).toBe(30_000);
    expect(timeSpanMs('00:00:00.250', 0)).toBe(250);
    expect(timeSpanMs('1.00:00:00', 0)).toBe(86_400_000);
    expect(timeSpanMs(undefined, 5)).toBe(5);
    expect(() => timeSpanMs('soon', 0)).toThrow();
  });
});
