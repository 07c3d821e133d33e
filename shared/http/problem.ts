import type { HttpResponseInit } from '@azure/functions';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ThrottledError,
  ValidationError,
  type ValidationIssue,
} from '../domain/errors';

/**
 * RFC 9457 problem details (docs/api.md): every error response is `application/problem+json` with
 * `type`, `title`, `status`, `detail`, and `errors[]` for validation failures. The `type` URI ends
 * in a stable slug (the domain error's `code`) that clients may branch on.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://openiom.dev/problems/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ValidationIssue[];
  [extension: string]: unknown;
}

export interface ProblemOptions {
  /** Slug for the `type` URI; defaults to one derived from the status. */
  slug?: string;
  /** Extension members merged into the body (may not override the standard ones). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const DEFAULT_SLUGS: Readonly<Record<number, string>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'throttled',
  500: 'internal-error',
  503: 'service-unavailable',
};

export function problemType(slug: string): string {
  return `${PROBLEM_TYPE_BASE}${slug}`;
}

/** A problem+json response. */
export function problem(
  status: number,
  title: string,
  detail: string,
  options: ProblemOptions = {}
): HttpResponseInit {
  const slug = options.slug ?? DEFAULT_SLUGS[status] ?? `http-${status}`;
  const body: ProblemBody = { ...options.extra, type: problemType(slug), title, status, detail };
  return {
    status,
    headers: { ...options.headers, 'content-type': PROBLEM_CONTENT_TYPE },
    jsonBody: body,
  };
}

/** Seconds for a Retry-After header: whole seconds, at least 1 (0 would invite a hot loop). */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

/**
 * Map any thrown value to a problem response. Domain errors carry safe, caller-facing messages;
 * anything else becomes a bare 500 so stack traces, connection strings or SDK payloads never
 * leave the process — log the original before calling this.
 */
export function fromError(err: unknown): HttpResponseInit {
  if (err instanceof ValidationError) {
    return problem(400, 'Validation failed', err.message, {
      slug: err.code,
      extra: { errors: [...err.errors] },
    });
  }
  if (err instanceof NotFoundError) return problem(404, 'Not found', err.message, { slug: err.code });
  if (err instanceof ConflictError) {
    return problem(409, 'Conflict', err.message, { slug: err.code, extra: { ...err.extensions } });
  }
  if (err instanceof PreconditionFailedError) {
    return problem(412, 'Precondition failed', err.message, { slug: err.code });
  }
  if (err instanceof ThrottledError) {
    return problem(429, 'Too many requests', err.message, {
      slug: err.code,
      headers: { 'retry-after': retryAfterSeconds(err.retryAfterMs) },
    });
  }
  // Includes DomainError subclasses this mapper does not know: a server-side gap, not the caller's.
  return problem(500, 'Internal error', 'The request could not be completed.', { slug: 'internal-error' });
}
