/**
 * Typed errors shared by every layer. Adapters translate SDK failures into these, the app layer throws
 * them, and `shared/http/problem.ts` maps them to problem+json — so no layer above the adapters ever
 * inspects an SDK status code.
 *
 * `code` is a stable, kebab-case string: it becomes the last segment of the problem `type` URI, so
 * clients may branch on it. Subclasses may pass a more specific code (e.g. a ConflictError with
 * code `insufficient-inventory`) while keeping the HTTP status of their parent class.
 */

export interface DomainErrorOptions {
  /** A more specific stable code than the class default. */
  code?: string;
  /** The underlying failure, kept for logs; never sent to clients. */
  cause?: unknown;
  /** Facts a client may act on (e.g. the allowed source states), sent as problem extension members. */
  extensions?: Readonly<Record<string, unknown>>;
}

export abstract class DomainError extends Error {
  readonly code: string;
  readonly extensions: Readonly<Record<string, unknown>>;

  protected constructor(message: string, defaultCode: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? defaultCode;
    this.extensions = options.extensions ?? {};
  }
}

/** The addressed thing does not exist. */
export class NotFoundError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super(message, 'not-found', options);
  }
}

/** The write collides with existing state (duplicate id, business rule such as insufficient stock). */
export class ConflictError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super(message, 'conflict', options);
  }
}

/** An optimistic-concurrency check failed: the ETag the caller holds is no longer current. */
export class PreconditionFailedError extends DomainError {
  constructor(message: string, options?: DomainErrorOptions) {
    super(message, 'precondition-failed', options);
  }
}

/** A dependency kept rejecting us for rate; the caller should retry after `retryAfterMs`. */
export class ThrottledError extends DomainError {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: DomainErrorOptions) {
    super(message, 'throttled', options);
    this.retryAfterMs = retryAfterMs;
  }
}

export interface ValidationIssue {
  /** JSON Pointer-ish location of the offending value, e.g. `/lines/0/quantity` ('' for the root). */
  path: string;
  message: string;
}

/** Input was rejected; `errors` lists every problem found, not just the first. */
export class ValidationError extends DomainError {
  readonly errors: readonly ValidationIssue[];

  constructor(message: string, errors: readonly ValidationIssue[], options?: DomainErrorOptions) {
    super(message, 'validation-failed', options);
    this.errors = errors;
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
