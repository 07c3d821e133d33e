import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { isDomainError } from '../domain/errors';
import { fromError } from './problem';

/**
 * Runs an HTTP handler's work and turns what it throws into problem+json: domain errors say what
 * the caller did wrong; anything else is logged and answered 500 without internals.
 */
export async function respond(
  context: InvocationContext,
  work: () => Promise<HttpResponseInit>
): Promise<HttpResponseInit> {
  try {
    return await work();
  } catch (err) {
    if (!isDomainError(err)) context.error('request failed', err);
    return fromError(err);
  }
}

/** A page of items as list routes answer it: `{items, continuationToken?}`. */
export function pageBody<T>(page: { items: T[]; continuationToken?: string }, view: (item: T) => unknown) {
  return {
    items: page.items.map(view),
    ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
  };
}
