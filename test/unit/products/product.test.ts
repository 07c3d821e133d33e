import { ValidationError } from '../../../shared/domain/errors';
import { productFromInput, type Product, type ProductInput } from '../../../shared/domain/products/product';
import { productInputSchema, productRouteSchema } from '../../../shared/schemas/product.schema';
import { compileValidator } from '../../../shared/schemas/validator';

const validateBody = compileValidator<ProductInput>(productInputSchema(), 'product');
const validateRoute = compileValidator<{ sku: string }>(productRouteSchema, 'product SKU');
const now = new Date('2026-03-01T10:00:00.000Z');
const later = new Date('2026-03-02T11:30:00.000Z');

const full: ProductInput = {
  name: 'Trail shoe',
  description: 'A shoe for trails',
  category: 'footwear',
  unit: 'each',
  weight: { value: 0.8, unit: 'kg' },
  dimensions: { length: 32, width: 20, height: 12, unit: 'cm' },
  preorder: { launchDate: '2026-04-01' },
  allowsAllocation: true,
  substitutes: ['SHOE-2', 'SHOE-3'],
};

function issuesOf(validate: () => unknown): { path: string; message: string }[] {
  try {
    validate();
  } catch (err) {
    if (err instanceof ValidationError) return [...err.errors];
    throw err;
  }
  return [];
}

describe('product schema', () => {
  it('accepts a full product and a minimal one unchanged', () => {
    expect(validateBody(full)).toBe(full);
    expect(validateBody({ name: 'x' })).toEqual({ name: 'x' });
  });

  it('lists every offending path at once', () => {
    const issues = issuesOf(() =>
      validateBody({
        weight: { value: -1, unit: 'stone' },
        dimensions: { length: 0, width: 1, unit: 'cm' },
        preorder: { eligible: 'yes', launchDate: '2026-02-30' },
        allowsAllocation: 1,
        substitutes: ['A', 'A', 'bad/sku'],
        colour: 'red',
      })
    );
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        '/name',
        '/weight/value',
        '/weight/unit',
        '/dimensions/length',
        '/dimensions/height',
        '/preorder/eligible',
        '/preorder/launchDate',
        '/allowsAllocation',
        '/substitutes',
        '/substitutes/2',
        '/colour',
      ].sort()
    );
  });

  it.each([['2026-13-01'], ['2026-1-01'], ['01/04/2026'], ['2026-04-01T00:00:00Z'], ['']])(
    'refuses launchDate %j',
    (launchDate) => {
      expect(
        issuesOf(() => validateBody({ name: 'x', preorder: { launchDate } })).map((i) => i.path)
      ).toEqual(['/preorder/launchDate']);
    }
  );

  it.each([['A'], ['SKU-1'], ['shoe 42 EU'], ['Ü-ß.日本'], ['x'.repeat(100)]])('accepts SKU %j', (sku) => {
    expect(validateRoute({ sku })).toEqual({ sku });
  });

  it.each([
    [''],
    ['a/b'],
    ['a\\b'],
    ['a?b'],
    ['a#b'],
    [' a'],
    ['a '],
    ['a\tb'],
    ['a\u0000'],
    ['x'.repeat(101)],
  ])('refuses SKU %j at /sku', (sku) => {
    expect(issuesOf(() => validateRoute({ sku })).map((i) => i.path)).toContain('/sku');
  });
});

describe('productFromInput', () => {
  it('stamps a new product with the SKU, defaults and the current time', () => {
    expect(productFromInput('SHOE-1', full, undefined, now)).toEqual({
      sku: 'SHOE-1',
      ...full,
      preorder: { eligible: true, launchDate: '2026-04-01' },
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('keeps createdAt when replacing, and replaces every other field', () => {
    const existing = productFromInput('SHOE-1', full, undefined, now);
    const replaced = productFromInput('SHOE-1', { name: 'Trail shoe v2' }, existing, later);
    expect(replaced).toEqual<Product>({
      sku: 'SHOE-1',
      name: 'Trail shoe v2',
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-02T11:30:00.000Z',
    });
  });

  it('keeps an explicit preorder eligibility of false', () => {
    const product = productFromInput(
      'P',
      { name: 'p', preorder: { eligible: false, launchDate: '2026-01-01' } },
      undefined,
      now
    );
    expect(product.preorder).toEqual({ eligible: false, launchDate: '2026-01-01' });
  });

  it('shares no object with the input', () => {
    const product = productFromInput('SHOE-1', full, undefined, now);
    expect(product.substitutes).not.toBe(full.substitutes);
    expect(product.weight).not.toBe(full.weight);
    expect(product.dimensions).not.toBe(full.dimensions);
  });

  it('refuses a product listed as its own substitute, at each place it appears', () => {
    const issues = issuesOf(() =>
      productFromInput('SHOE-1', { name: 'x', substitutes: ['SHOE-1', 'SHOE-2'] }, undefined, now)
    );
    expect(issues).toEqual([{ path: '/substitutes/0', message: 'is the product itself' }]);
  });

  it('compares SKUs exactly (a substitute differing in case is another product)', () => {
    expect(
      productFromInput('shoe-1', { name: 'x', substitutes: ['SHOE-1'] }, undefined, now).substitutes
    ).toEqual(['SHOE-1']);
  });
});
