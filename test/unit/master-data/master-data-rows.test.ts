import { ValidationError } from '../../../shared/domain/errors';
import { accountFromInput } from '../../../shared/domain/master-data/account';
import { contentHash } from '../../../shared/domain/master-data/content-hash';
import { itemFromRow } from '../../../shared/domain/master-data/item-from-row';
import { priceListFromInputs } from '../../../shared/domain/master-data/price-list';
import { unitFromInput } from '../../../shared/domain/master-data/unit-of-measure';
import { productFromInput } from '../../../shared/domain/products/product';
import { masterDataKinds } from '../../../shared/app/master-data/master-data-kinds';

const now = new Date('2026-12-02T10:00:00.000Z');
const later = new Date('2026-12-03T10:00:00.000Z');
const kinds = masterDataKinds(() => ({ lat: 40.75, lon: -73.99 }));

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.errors;
    throw err;
  }
  return [];
}

describe('itemFromRow', () => {
  it('nests dotted columns, types cells by the schema and leaves empty cells out', () => {
    const item = itemFromRow(
      {
        sku: 1001,
        name: ' Mug ',
        description: '',
        'dimensions.length': '10',
        'dimensions.width': '8.5',
        'dimensions.height': '12',
        'dimensions.unit': 'cm',
        'weight.value': '0.35',
        'weight.unit': 'kg',
        allowsAllocation: 'yes',
        'preorder.launchDate': '2026-04-01T00:00:00.000Z',
        substitutes: 'A-1 | A-2',
        'units.0.unit': 'box',
        'units.0.factor': '12',
        'units.2.unit': 'pallet',
        'units.2.factor': '480',
      },
      kinds.products.schema
    );
    expect(item).toEqual({
      sku: '1001',
      name: 'Mug',
      dimensions: { length: 10, width: 8.5, height: 12, unit: 'cm' },
      weight: { value: 0.35, unit: 'kg' },
      allowsAllocation: true,
      preorder: { launchDate: '2026-04-01' },
      substitutes: ['A-1', 'A-2'],
      units: [
        { unit: 'box', factor: 12 },
        { unit: 'pallet', factor: 480 },
      ],
    });
    expect(kinds.products.validate(item)).toBe(item);
  });

  it('leaves what cannot be converted, so the schema names the column path', () => {
    const item = itemFromRow(
      { sku: 'S', name: 'N', 'weight.value': '1,5', 'weight.unit': 'kg', colour: 'red' },
      kinds.products.schema
    );
    expect(issuesOf(() => kinds.products.validate(item))).toEqual([
      { path: '/colour', message: 'is not a known field' },
      { path: '/weight/value', message: 'must be number' },
    ]);
  });
});

describe('master-data rules', () => {
  it('hashes content regardless of key order and timestamps', () => {
    const a = productFromInput(
      'S',
      { name: 'N', unit: 'each', units: [{ unit: 'box', factor: 6 }] },
      undefined,
      now
    );
    const b = productFromInput(
      'S',
      { units: [{ factor: 6, unit: 'box' }], unit: 'each', name: 'N' },
      a,
      later
    );
    expect(b.updatedAt).not.toBe(a.updatedAt);
    expect(contentHash(b)).toBe(contentHash(a));
    expect(contentHash(productFromInput('S', { name: 'N2' }, a, later))).not.toBe(contentHash(a));
  });

  it('refuses a product unit that is its base unit or named twice', () => {
    expect(
      issuesOf(() =>
        productFromInput(
          'S',
          {
            name: 'N',
            unit: 'each',
            units: [
              { unit: 'each', factor: 1 },
              { unit: 'box', factor: 6 },
              { unit: 'box', factor: 12 },
            ],
          },
          undefined,
          now
        )
      )
    ).toEqual([
      { path: '/units/0/unit', message: 'is the base unit itself' },
      { path: '/units/2/unit', message: 'is named more than once' },
    ]);
  });

  it('merges price-list parts by sku, unit and quantity break, never dropping a stored price', () => {
    const stored = priceListFromInputs(
      [
        {
          priceListId: 'PL',
          currency: 'USD',
          prices: [
            { sku: 'A', unitPrice: 100 },
            { sku: 'B', unitPrice: 200 },
          ],
        },
      ],
      undefined,
      now
    );
    const merged = priceListFromInputs(
      [
        { priceListId: 'PL', currency: 'USD', name: 'Retail', prices: [{ sku: 'A', unitPrice: 90 }] },
        { priceListId: 'PL', currency: 'USD', prices: [{ sku: 'A', unitPrice: 80, minQuantity: 10 }] },
      ],
      stored,
      later
    );
    expect(merged).toMatchObject({
      name: 'Retail',
      createdAt: now.toISOString(),
      prices: [
        { sku: 'A', unitPrice: 90 },
        { sku: 'A', unitPrice: 80, minQuantity: 10 },
        { sku: 'B', unitPrice: 200 },
      ],
    });
    expect(
      issuesOf(() => priceListFromInputs([{ priceListId: 'PL', currency: 'EUR' }], stored, later))
    ).toEqual([{ path: '/currency', message: expect.stringContaining('USD') }]);
  });

  it('wants a unit conversion whole, and an account address purpose once', () => {
    expect(
      issuesOf(() => unitFromInput({ unitId: 'box', name: 'Box', baseUnit: 'each' }, undefined, now))
    ).toEqual([{ path: '/factor', message: expect.stringContaining('go together') }]);
    expect(
      unitFromInput({ unitId: 'box', name: 'Box', baseUnit: 'each', factor: 12 }, undefined, now)
    ).toMatchObject({
      factor: 12,
    });
    const addresses = [
      { purpose: 'billing', postalCode: '1', country: 'US' },
      { purpose: 'billing', postalCode: '2', country: 'US' },
    ];
    expect(
      issuesOf(() => accountFromInput({ accountId: 'C1', name: 'C', addresses }, undefined, now))
    ).toEqual([{ path: '/addresses/1/purpose', message: 'repeats the purpose of address 0' }]);
  });

  it('places a price-list file row as the list with one price', () => {
    const place = kinds['price-lists'].columnPlace!;
    const row = { priceListId: 'PL', currency: 'USD', sku: 'A', unitPrice: '1250', minQuantity: '' };
    const item = itemFromRow(
      Object.fromEntries(Object.entries(row).map(([c, v]) => [place[c] ?? c, v])),
      kinds['price-lists'].schema
    );
    expect(kinds['price-lists'].validate(item)).toEqual({
      priceListId: 'PL',
      currency: 'USD',
      prices: [{ sku: 'A', unitPrice: 1250 }],
    });
  });
});
