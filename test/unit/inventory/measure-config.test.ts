import {
  MeasureDefinitionsCache,
  replaceMeasureConfiguration,
} from '../../../shared/app/inventory/measures/inventory-measure-config';
import type { MeasureConfigurationStore } from '../../../shared/ports/inventory-measures';
import { ValidationError } from '../../../shared/domain/errors';
import { applyMeasureChange } from '../../../shared/domain/inventory/inventory-change';
import { emptyRow } from '../../../shared/domain/inventory/inventory-row';
import {
  defaultStoredMeasureConfiguration,
  measureConfigurationOf,
  measureDefinitionsOf,
  storedMeasureConfigurationOf,
  type CalculatedMeasure,
  type StoredMeasureConfiguration,
} from '../../../shared/domain/inventory/measures/measure-config';
import { defaultMeasureDefinitions, measureView } from '../../../shared/domain/inventory/measures/measures';
import { reserve } from '../../../shared/domain/inventory/reservation';
import { compileMeasureConfigurationValidator } from '../../../shared/schemas/inventory-measures.schema';

const held = [
  { measure: 'softReserved', sign: -1 as const },
  { measure: 'allocated', sign: -1 as const },
];
const checks = (extra: CalculatedMeasure['terms'] = []): CalculatedMeasure[] => [
  { name: 'availableToReserve', terms: [{ measure: 'onhand', sign: 1 }, ...extra, ...held] },
  { name: 'availableToAllocate', terms: [{ measure: 'onhand', sign: 1 }, ...held] },
];

function issuesOf(input: Parameters<typeof storedMeasureConfigurationOf>[0]) {
  const checked = storedMeasureConfigurationOf(input);
  return checked.ok ? [] : checked.issues;
}

describe('measure configuration', () => {
  it('shows the defaults exactly as the rules use them, and a GET answer is a valid PUT body', () => {
    expect(measureDefinitionsOf(defaultStoredMeasureConfiguration)).toEqual(defaultMeasureDefinitions);
    const shown = measureConfigurationOf(defaultStoredMeasureConfiguration);
    expect(shown.physical).toEqual([
      { name: 'onhand', builtIn: true, writtenBy: 'source' },
      { name: 'ordered', builtIn: true, writtenBy: 'source' },
      { name: 'softReserved', builtIn: true, writtenBy: 'service' },
      { name: 'allocated', builtIn: true, writtenBy: 'service' },
    ]);
    expect(shown.calculated[0]).toEqual({
      name: 'availableToReserve',
      terms: [
        { measure: 'onhand', sign: 1 },
        { measure: 'softReserved', sign: -1 },
        { measure: 'allocated', sign: -1 },
      ],
      includeSafetyStock: true,
    });
    const validate = compileMeasureConfigurationValidator();
    const again = storedMeasureConfigurationOf(validate(JSON.parse(JSON.stringify(shown))));
    expect(again).toEqual({ ok: true, value: defaultStoredMeasureConfiguration });
  });

  it('lets a custom physical measure be written by sources and change availableToReserve', () => {
    const checked = storedMeasureConfigurationOf({
      physical: [{ name: 'damaged' }],
      calculated: checks([{ measure: 'damaged', sign: -1 }]),
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    const definitions = measureDefinitionsOf(checked.value);
    let row = emptyRow('A', 'S1');
    for (const [measure, quantity] of [
      ['onhand', 10],
      ['damaged', 4],
    ] as const) {
      const outcome = applyMeasureChange(row, { measure, quantity, mode: 'set' }, definitions);
      if (!outcome.ok) throw outcome.error;
      row = outcome.value;
    }
    expect(measureView(row.measures, 0, definitions)).toMatchObject({
      damaged: 4,
      availableToReserve: 6,
      availableToAllocate: 10,
    });
    expect(reserve(row, 7, { definitions, safetyStock: 0 }).ok).toBe(false);
    expect(reserve(row, 7, { definitions: defaultMeasureDefinitions, safetyStock: 0 }).ok).toBe(true);
    const serviceOwned = applyMeasureChange(
      row,
      { measure: 'softReserved', quantity: 1, mode: 'set' },
      definitions
    );
    expect(serviceOwned.ok).toBe(false);
  });

  it('names every broken rule with its path', () => {
    expect(
      issuesOf({
        physical: [
          { name: 'onhand' },
          { name: 'damaged' },
          { name: 'damaged' },
          { name: 'inTransit', builtIn: true },
          { name: 'safetyStock' },
          { name: 'allocated', builtIn: true, writtenBy: 'source' },
          { name: 'lost', writtenBy: 'service' },
        ],
        calculated: [
          {
            name: 'availableToReserve',
            terms: [
              { measure: 'onhand', sign: 1 },
              { measure: 'shipped', sign: -1 },
              { measure: 'net', sign: 1 },
              { measure: 'onhand', sign: -1 },
              { measure: 'softReserved', sign: 1 },
              { measure: 'safetyStock', sign: -1 },
            ],
          },
          { name: 'damaged', terms: [{ measure: 'onhand', sign: 1 }] },
          { name: 'net', terms: [{ measure: 'onhand', sign: 1 }] },
          { name: 'net', terms: [{ measure: 'onhand', sign: 1 }] },
        ],
      })
    ).toEqual(
      expect.arrayContaining([
        { path: '/physical/0/name', message: '"onhand" is a built-in measure' },
        { path: '/physical/2/name', message: '"damaged" is listed twice' },
        { path: '/physical/3/builtIn', message: '"inTransit" is not a built-in measure' },
        { path: '/physical/4/name', message: '"safetyStock" is the source\'s safety stock' },
        { path: '/physical/5/writtenBy', message: 'must be "service" (read-only)' },
        { path: '/physical/6/writtenBy', message: 'custom measures are written by data sources' },
        { path: '/calculated/0/terms/1/measure', message: '"shipped" is not a physical measure' },
        {
          path: '/calculated/0/terms/2/measure',
          message: '"net" is calculated; terms are physical measures',
        },
        { path: '/calculated/0/terms/3/measure', message: '"onhand" is listed twice' },
        { path: '/calculated/0/terms/5/measure', message: 'use includeSafetyStock for the safety stock' },
        { path: '/calculated/0/terms', message: 'must subtract "softReserved" (sign -1)' },
        { path: '/calculated/0/terms', message: 'must subtract "allocated" (sign -1)' },
        { path: '/calculated/1/name', message: '"damaged" is already a physical measure' },
        { path: '/calculated/3/name', message: '"net" is listed twice' },
        {
          path: '/calculated',
          message: 'must define "availableToAllocate" (allocations are checked against it)',
        },
      ])
    );
  });

  it('refuses a configuration without availableToReserve', () => {
    expect(issuesOf({ calculated: checks().slice(1) })).toEqual([
      {
        path: '/calculated',
        message: 'must define "availableToReserve" (reservations are checked against it)',
      },
    ]);
  });

  it('checks the shape with paths first (sign, unknown fields, empty terms)', () => {
    const validate = compileMeasureConfigurationValidator();
    try {
      validate({
        calculated: [
          { name: 'x', terms: [{ measure: 'onhand', sign: 2 }], extra: 1 },
          { name: 'y', terms: [] },
        ],
      });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors.map((e) => e.path)).toEqual(
        expect.arrayContaining(['/calculated/0/extra', '/calculated/0/terms/0/sign', '/calculated/1/terms'])
      );
    }
  });
});

/** A store in memory (an app-level port, not an SDK: the Cosmos adapter is covered by the e2e test). */
class MemoryMeasureStore implements MeasureConfigurationStore {
  doc: { value: StoredMeasureConfiguration; etag: string } | undefined;
  reads = 0;
  #version = 0;

  get() {
    this.reads++;
    return Promise.resolve(this.doc);
  }
  create(value: StoredMeasureConfiguration) {
    this.doc = { value, etag: `v${++this.#version}` };
    return Promise.resolve(this.doc);
  }
  replace(value: StoredMeasureConfiguration, etag: string) {
    if (this.doc?.etag !== etag) return Promise.reject(new Error('unexpected race'));
    return this.create(value);
  }
}

describe('the measure definitions in force', () => {
  it('are read at most once per period, and at once after a PUT in this worker', async () => {
    let now = 0;
    const store = new MemoryMeasureStore();
    const cache = new MeasureDefinitionsCache(
      () => Promise.resolve(store),
      { now: () => new Date(now) },
      5000
    );
    expect(await Promise.all([cache.definitions(), cache.definitions()])).toEqual([
      defaultMeasureDefinitions,
      defaultMeasureDefinitions,
    ]);
    expect(store.reads).toBe(1);
    const validate = compileMeasureConfigurationValidator();
    const body = { physical: [{ name: 'damaged' }], calculated: checks([{ measure: 'damaged', sign: -1 }]) };
    const put = await replaceMeasureConfiguration({ store, validate, cache }, body);
    expect(put.created).toBe(true);
    expect((await cache.definitions()).physical).toEqual(['onhand', 'ordered', 'damaged']);
    now += 4000;
    await cache.definitions();
    expect(store.reads).toBe(3); // the first read, the PUT's, the one after the PUT
    now += 2000;
    await cache.definitions();
    expect(store.reads).toBe(4);
  });

  it('stores nothing when the rules refuse the body', async () => {
    const store = new MemoryMeasureStore();
    const validate = compileMeasureConfigurationValidator();
    await expect(
      replaceMeasureConfiguration({ store, validate }, { calculated: checks().slice(1) })
    ).rejects.toBeInstanceOf(ValidationError);
    expect(store.doc).toBeUndefined();
  });
});
