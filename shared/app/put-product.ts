import { ConflictError, NotFoundError, PreconditionFailedError } from '../domain/errors';
import { productFromInput } from '../domain/products/product';
import type { Clock } from '../ports/clock';
import type { ProductRepository, VersionedProduct } from '../ports/products';
import { conditionMatches, type EntityTagCondition } from './entity-tags';
import { validateProductRequest, type ProductValidators } from './validate-product-request';

export interface PutProductDeps {
  validators: ProductValidators;
  products: ProductRepository;
  clock: Clock;
}

/** The request's If-Match / If-None-Match, parsed (absent: no condition). */
export interface ProductPreconditions {
  ifMatch?: EntityTagCondition;
  ifNoneMatch?: EntityTagCondition;
}

export interface PutProductResult extends VersionedProduct {
  created: boolean;
}

/** Unconditional writes that keep losing races give up after this many tries (409). */
const maxAttempts = 5;

/**
 * Creates or replaces a product (`PUT /api/v1/products/{sku}`). With If-Match the write happens only
 * if the product is still at one of the given versions, and the check is the storage's own ETag
 * check, so of two editors holding the same version exactly one wins; the other gets
 * PreconditionFailedError. If-None-Match `*` creates only. Without a condition the last writer wins,
 * but createdAt still survives: the write is retried against whatever version it raced with.
 */
export async function putProduct(
  deps: PutProductDeps,
  rawSku: string,
  body: unknown,
  preconditions: ProductPreconditions = {}
): Promise<PutProductResult> {
  const { sku, input } = validateProductRequest(deps.validators, rawSku, body);
  // A race leaves a condition on a specific version (or on absence) unmet; `If-Match: *` only asks that
  // the product exist, which the next attempt checks again.
  const retryable =
    (preconditions.ifMatch === undefined || preconditions.ifMatch.any) &&
    preconditions.ifNoneMatch === undefined;
  for (let attempt = 1; ; attempt++) {
    const existing = await deps.products.get(sku);
    checkPreconditions(sku, preconditions, existing?.etag);
    // Domain rules run before any write, so a refused product leaves nothing behind.
    const product = productFromInput(sku, input, existing?.product, deps.clock.now());
    try {
      if (existing === undefined) return { ...(await deps.products.create(product)), created: true };
      return { ...(await deps.products.replace(product, existing.etag)), created: false };
    } catch (err) {
      const raced =
        err instanceof ConflictError ||
        err instanceof PreconditionFailedError ||
        err instanceof NotFoundError;
      if (!raced) throw err;
      // Someone wrote between our read and our write.
      if (!retryable) {
        throw preconditions.ifMatch === undefined
          ? new PreconditionFailedError(`Product ${sku} was written concurrently.`, { cause: err })
          : changedConcurrently(sku);
      }
      if (attempt >= maxAttempts) {
        throw new ConflictError(`Product ${sku} is being changed by others; try again.`, { cause: err });
      }
    }
  }
}

function checkPreconditions(sku: string, preconditions: ProductPreconditions, version: string | undefined) {
  const { ifMatch, ifNoneMatch } = preconditions;
  if (ifMatch !== undefined && !conditionMatches(ifMatch, version, 'strong')) {
    throw version === undefined
      ? new PreconditionFailedError(`Product ${sku} does not exist, so no If-Match can match it.`)
      : changedConcurrently(sku);
  }
  if (ifNoneMatch !== undefined && conditionMatches(ifNoneMatch, version, 'weak')) {
    throw new PreconditionFailedError(
      ifNoneMatch.any
        ? `Product ${sku} already exists.`
        : `Product ${sku} is at a version If-None-Match excludes.`
    );
  }
}

function changedConcurrently(sku: string): PreconditionFailedError {
  return new PreconditionFailedError(
    `Product ${sku} has changed since the version in If-Match; read it again and reapply your change.`
  );
}
