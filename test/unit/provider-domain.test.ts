import fc from 'fast-check';
import { ValidationError } from '../../shared/domain/errors';
import { currencyExponent, toMinorUnits } from '../../shared/domain/providers/minor-units';
import { instanceFromInput, instanceView } from '../../shared/domain/providers/provider-instance';
import type { ProviderDefinition } from '../../shared/domain/providers/provider-definition';
import {
  compileTransformation,
  runTransformation,
  TransformationError,
} from '../../shared/domain/providers/run-transformation';
import { repeatedMappings, ValueLookup } from '../../shared/domain/providers/value-mappings';

describe('toMinorUnits', () => {
  it('converts decimal text and numbers exactly, by the currency exponent', () => {
    expect(toMinorUnits('199.00', 'USD')).toBe(19900);
    expect(toMinorUnits('0.29', 'USD')).toBe(29);
    expect(toMinorUnits(0.29, 'USD')).toBe(29);
    expect(toMinorUnits('12.5', 'EUR')).toBe(1250);
    expect(toMinorUnits(400, 'USD')).toBe(40000);
    expect(toMinorUnits('1500', 'JPY')).toBe(1500);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234);
    expect(toMinorUnits('-5.10', 'USD')).toBe(-510);
    expect(currencyExponent('JPY')).toBe(0);
  });

  it('refuses what is not an exact amount of the currency', () => {
    expect(() => toMinorUnits('1.005', 'USD')).toThrow(/more decimals/);
    expect(() => toMinorUnits('1,299.00', 'USD')).toThrow(/not a decimal/);
    expect(() => toMinorUnits('12', 'XYZW')).toThrow(/ISO 4217/);
    expect(() => toMinorUnits(null, 'USD')).toThrow();
  });

  it('agrees with integer cents for every amount written with two decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        return toMinorUnits(text, 'USD') === cents;
      })
    );
  });
});

describe('ValueLookup', () => {
  it('maps known values, passes the rest through and remembers them once', () => {
    const lookup = new ValueLookup([
      { type: 'sku', external: 'EXT-1', internal: 'ours-1' },
      { type: 'source', external: 'EXT-1', internal: 'warehouse-1' },
    ]);
    expect(lookup.map('sku', 'EXT-1')).toBe('ours-1');
    expect(lookup.map('source', 'EXT-1')).toBe('warehouse-1');
    expect(lookup.map('sku', 'EXT-2')).toBe('EXT-2');
    expect(lookup.map('sku', 'EXT-2')).toBe('EXT-2');
    expect(lookup.map('sku', 42)).toBe('42');
    expect(lookup.map('sku', undefined)).toBeUndefined();
    expect(lookup.unmapped()).toEqual([
      { type: 'sku', value: 'EXT-2' },
      { type: 'sku', value: '42' },
    ]);
  });

  it('finds mappings that say two things about one value', () => {
    expect(
      repeatedMappings([
        { type: 'sku', external: 'a', internal: 'x' },
        { type: 'unit', external: 'a', internal: 'y' },
        { type: 'sku', external: 'a', internal: 'z' },
      ])
    ).toEqual([{ index: 2, first: 0 }]);
  });
});

describe('runTransformation', () => {
  const context = {
    instanceId: 'shop-1',
    parameters: { region: 'eu' },
    mappings: [{ type: 'sku' as const, external: 'EXT', internal: 'OURS' }],
    now: new Date('2026-01-02T03:04:05.000Z'),
  };

  it('binds $mapValue, $toMinor, $instanceId, $parameters and a fixed $now', async () => {
    const result = await runTransformation(
      `{ "sku": $mapValue('sku', sku), "other": $mapValue('sku', other), "price": $toMinor(price, 'USD'),
         "instance": $instanceId, "region": $parameters.region, "at": $now() }`,
      { sku: 'EXT', other: 'NEW', price: '19.99' },
      context
    );
    expect(result.output).toEqual({
      sku: 'OURS',
      other: 'NEW',
      price: 1999,
      instance: 'shop-1',
      region: 'eu',
      at: '2026-01-02T03:04:05.000Z',
    });
    expect(result.unmapped).toEqual([{ type: 'sku', value: 'NEW' }]);
  });

  it('names the position of a syntax error and the cause of a failure while running', async () => {
    let compileError: unknown;
    try {
      compileTransformation('{ "a": ', '/expression');
    } catch (err) {
      compileError = err;
    }
    expect(compileError).toBeInstanceOf(ValidationError);
    expect((compileError as ValidationError).errors[0]).toMatchObject({ path: '/expression' });
    await expect(runTransformation(`$toMinor('1.001', 'USD')`, {}, context)).rejects.toBeInstanceOf(
      TransformationError
    );
    await expect(runTransformation(`$toMinor('1.001', 'USD')`, {}, context)).rejects.toMatchObject({
      errors: [{ path: '/transformation', message: expect.stringMatching(/more decimals/) }],
    });
  });

  it('stops an expression that loops', async () => {
    await expect(
      runTransformation('( $f := function($n) { $f($n + 1) }; $f(0) )', {}, context)
    ).rejects.toBeInstanceOf(TransformationError);
  });
});

describe('provider instances', () => {
  const definition: ProviderDefinition = {
    id: 'demo',
    name: 'Demo',
    description: 'a provider for tests',
    serviceType: 'order-intake',
    serviceTypes: ['order-intake'],
    parameters: [
      { name: 'shopUrl', description: '', type: 'url', required: true },
      { name: 'pageSize', description: '', type: 'integer', required: false, default: 50 },
      { name: 'polling', description: '', type: 'boolean', required: false, default: false },
    ],
    secrets: [
      { name: 'webhookSecret', description: '', required: false },
      { name: 'accessToken', description: '', required: false },
    ],
    messageTypes: [{ name: 'order', description: '', intent: 'upsert' }],
    actions: [],
    inbound: { webhook: true, polling: true, fileDrop: true },
    allowsMultipleInstances: false,
    transformations: { order: '$' },
  };
  const now = new Date('2026-01-01T00:00:00Z');

  it('fills defaults, keeps secrets not given, removes those set to null, and shows none', () => {
    const first = instanceFromInput(
      'a',
      {
        provider: 'demo',
        active: true,
        parameters: { shopUrl: 'https://x.example' },
        secrets: { webhookSecret: 's1', accessToken: 't1' },
      },
      definition,
      undefined,
      now
    );
    expect(first.issues).toEqual([]);
    expect(first.instance.parameters).toEqual({ shopUrl: 'https://x.example', pageSize: 50, polling: false });
    const second = instanceFromInput(
      'a',
      {
        provider: 'demo',
        active: true,
        parameters: { shopUrl: 'https://x.example' },
        secrets: { accessToken: null },
      },
      definition,
      first.instance,
      now
    );
    expect(second.instance.secrets).toEqual({ webhookSecret: 's1' });
    const view = instanceView(second.instance, definition);
    expect(view.secrets).toEqual({ accessToken: { set: false }, webhookSecret: { set: true } });
    expect(JSON.stringify(view)).not.toContain('s1');
  });

  it('names every wrong path', () => {
    const { issues } = instanceFromInput(
      'a',
      {
        provider: 'demo',
        active: true,
        parameters: { pageSize: 'ten', colour: 'red' },
        secrets: { password: 'x' },
        transformations: { invoice: 't1' },
      },
      definition,
      undefined,
      now
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      '/parameters/colour',
      '/parameters/pageSize',
      '/parameters/shopUrl',
      '/secrets/password',
      '/transformations/invoice',
    ]);
  });
});
