import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../shared/domain/errors';
import type { Product, ProductInput } from '../../../shared/domain/products/product';
import { getProduct } from '../../../shared/app/products/get-product';
import {
  conditionMatches,
  entityTagOf,
  parseEntityTags,
} from '../../../shared/app/versioned-resources/entity-tags';
import { putProduct, type ProductPreconditions } from '../../../shared/app/products/put-product';
import type { ProductValidators } from '../../../shared/ports/validators';
import type { ProductRepository, VersionedProduct } from '../../../shared/ports/products';
import { productInputSchema, productRouteSchema } from '../../../shared/schemas/product.schema';
import { compileValidator } from '../../../shared/schemas/validator';

const validators: ProductValidators = {
  route: compileValidator<{ sku: string }>(productRouteSchema, 'product SKU'),
  body: compileValidator<ProductInput>(productInputSchema(), 'product'),
};

/** An in-memory repository with Cosmos's semantics: create conflicts, replace checks the version. */
class MemoryProducts implements ProductRepository {
  readonly rows = new Map<string, VersionedProduct>();
  writes = 0;
  version = 0;
  /** Runs before each write, to simulate another writer getting in between read and write. */
  beforeWrite: (() => void) | undefined;

  get(sku: string) {
    return later(() => this.rows.get(sku));
  }

  create(product: Product) {
    return later(() => {
      this.beforeWrite?.();
      if (this.rows.has(product.sku)) throw new ConflictError('exists');
      return this.store(product);
    });
  }

  replace(product: Product, etag: string) {
    return later(() => {
      this.beforeWrite?.();
      const current = this.rows.get(product.sku);
      if (!current) throw new NotFoundError('gone');
      if (current.etag !== etag) throw new PreconditionFailedError('stale');
      return this.store(product);
    });
  }

  store(product: Product): VersionedProduct {
    this.writes++;
    const row = { product, etag: `v${++this.version}` };
    this.rows.set(product.sku, row);
    return row;
  }
}

/** The result of `work` as a promise, rejected when it throws (as an async store would answer). */
function later<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

let products: MemoryProducts;
let tick: number;
const clock = { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) };
const deps = () => ({ validators, products, clock });
const put = (sku: string, body: unknown, preconditions?: ProductPreconditions) =>
  putProduct(deps(), sku, body, preconditions);
const ifMatch = (header: string): ProductPreconditions => ({ ifMatch: parseEntityTags(header)! });

beforeEach(() => {
  products = new MemoryProducts();
  tick = 0;
});

describe('putProduct', () => {
  it('creates, then replaces keeping createdAt', async () => {
    const created = await put('A', { name: 'a' });
    expect(created).toMatchObject({ created: true, etag: 'v1', product: { sku: 'A', name: 'a' } });
    const replaced = await put('A', { name: 'a2' }, ifMatch('"v1"'));
    expect(replaced).toMatchObject({ created: false, etag: 'v2', product: { name: 'a2' } });
    expect(replaced.product.createdAt).toBe(created.product.createdAt);
    expect(replaced.product.updatedAt > created.product.updatedAt).toBe(true);
  });

  it('reports a bad SKU and a bad body together, and writes nothing', async () => {
    const err = await put('a/b', { weight: { value: -1, unit: 'kg' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors.map((i) => i.path).sort()).toEqual([
      '/name',
      '/sku',
      '/weight/value',
    ]);
    expect(products.writes).toBe(0);
  });

  it('refuses a self-substitute and writes nothing', async () => {
    await expect(put('A', { name: 'a', substitutes: ['B', 'A'] })).rejects.toMatchObject({
      errors: [{ path: '/substitutes/1' }],
    });
    expect(products.writes).toBe(0);
  });

  it('answers 412 for a stale If-Match, for If-Match on a missing product, and for If-None-Match: * on an existing one', async () => {
    await expect(put('A', { name: 'a' }, ifMatch('*'))).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(put('A', { name: 'a' }, ifMatch('"v1"'))).rejects.toBeInstanceOf(PreconditionFailedError);
    await put('A', { name: 'a' }, { ifNoneMatch: parseEntityTags('*')! });
    await put('A', { name: 'b' });
    await expect(put('A', { name: 'c' }, ifMatch('"v1"'))).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(put('A', { name: 'c' }, { ifNoneMatch: parseEntityTags('*')! })).rejects.toBeInstanceOf(
      PreconditionFailedError
    );
    expect(products.rows.get('A')?.product.name).toBe('b');
    await expect(put('A', { name: 'd' }, ifMatch('"v9", "v2"'))).resolves.toMatchObject({ etag: 'v3' });
    await expect(put('A', { name: 'e' }, ifMatch('W/"v3"'))).rejects.toBeInstanceOf(PreconditionFailedError);
  });

  it('gives exactly one of two editors holding the same version the write', async () => {
    await put('A', { name: 'a' });
    // Editor 2 writes between editor 1's read and write.
    products.beforeWrite = () => {
      products.beforeWrite = undefined;
      products.store({ ...products.rows.get('A')!.product, name: 'editor 2' });
    };
    await expect(put('A', { name: 'editor 1' }, ifMatch('"v1"'))).rejects.toBeInstanceOf(
      PreconditionFailedError
    );
    expect(products.rows.get('A')?.product.name).toBe('editor 2');
  });

  it('retries an unconditional write that raced, keeping the first createdAt', async () => {
    products.beforeWrite = () => {
      products.beforeWrite = undefined;
      products.store({ sku: 'A', name: 'other', createdAt: 'first', updatedAt: 'first' });
    };
    const result = await put('A', { name: 'mine' });
    expect(result).toMatchObject({ created: false, product: { name: 'mine', createdAt: 'first' } });
  });

  it('gives up with a conflict when unconditional writes keep racing', async () => {
    products.beforeWrite = () => products.store({ sku: 'A', name: 'other', createdAt: 'x', updatedAt: 'x' });
    await expect(put('A', { name: 'mine' })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('getProduct', () => {
  it('finds a product, and answers product-not-found or a /sku issue otherwise', async () => {
    await put('A', { name: 'a' });
    await expect(getProduct(deps(), 'A')).resolves.toMatchObject({ etag: 'v1', product: { name: 'a' } });
    await expect(getProduct(deps(), 'B')).rejects.toMatchObject({ code: 'product-not-found' });
    await expect(getProduct(deps(), 'a#b')).rejects.toMatchObject({ errors: [{ path: '/sku' }] });
  });
});

describe('entity tags', () => {
  it('quotes storage versions exactly once', () => {
    expect(entityTagOf('abc')).toBe('"abc"');
    expect(entityTagOf('"abc"')).toBe('"abc"');
  });

  it('parses *, lists, weak tags and unquoted tags', () => {
    expect(parseEntityTags(null)).toBeUndefined();
    expect(parseEntityTags('  ')).toBeUndefined();
    expect(parseEntityTags('*')).toEqual({ any: true });
    expect(parseEntityTags('"a", W/"b",c')).toEqual({
      any: false,
      tags: [
        { tag: '"a"', weak: false },
        { tag: '"b"', weak: true },
        { tag: '"c"', weak: false },
      ],
    });
  });

  it('compares strongly for If-Match and weakly for If-None-Match', () => {
    const weakB = parseEntityTags('W/"b"')!;
    expect(conditionMatches(weakB, 'b', 'strong')).toBe(false);
    expect(conditionMatches(weakB, '"b"', 'weak')).toBe(true);
    expect(conditionMatches({ any: true }, undefined, 'strong')).toBe(false);
    expect(conditionMatches({ any: true }, 'x', 'strong')).toBe(true);
  });
});
