import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ThrottledError,
  ValidationError,
} from '../../shared/domain/errors';
import { fromError, problem, PROBLEM_CONTENT_TYPE } from '../../shared/http/problem';

function headersOf(res: { headers?: unknown }): Record<string, string> {
  return res.headers as Record<string, string>;
}

describe('problem', () => {
  it('builds an RFC 9457 body with the problem content type', () => {
    const res = problem(404, 'Not found', 'order ord-1 not found');
    expect(res.status).toBe(404);
    expect(headersOf(res)['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(res.jsonBody).toEqual({
      type: 'https://openiom.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'order ord-1 not found',
    });
  });

  it('takes a slug, extension members and headers, but never lets extras override standard members', () => {
    const res = problem(409, 'Conflict', 'not enough stock', {
      slug: 'insufficient-inventory',
      extra: { available: 3, status: 200, type: 'x' },
      headers: { 'x-test': '1', 'content-type': 'text/plain' },
    });
    expect(res.jsonBody).toEqual({
      type: 'https://openiom.dev/problems/insufficient-inventory',
      title: 'Conflict',
      status: 409,
      detail: 'not enough stock',
      available: 3,
    });
    expect(headersOf(res)).toEqual({ 'x-test': '1', 'content-type': PROBLEM_CONTENT_TYPE });
  });

  it('falls back to an http-<status> slug for unusual statuses', () => {
    expect(problem(418, 'Teapot', 'short and stout').jsonBody.type).toBe(
      'https://openiom.dev/problems/http-418'
    );
  });
});

describe('fromError', () => {
  it('maps ValidationError to 400 with every issue', () => {
    const errors = [
      { path: '/lines/0/quantity', message: 'must be > 0' },
      { path: '/currency', message: 'is required' },
    ];
    const res = fromError(new ValidationError('Request body is invalid', errors));
    expect(res.status).toBe(400);
    expect(res.jsonBody).toEqual({
      type: 'https://openiom.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'Request body is invalid',
      errors,
    });
  });

  it.each([
    [new NotFoundError('order ord-1 not found'), 404, 'not-found'],
    [new ConflictError('order exists'), 409, 'conflict'],
    [new PreconditionFailedError('changed'), 412, 'precondition-failed'],
  ])('maps %p to its status', (err, status, slug) => {
    const res = fromError(err);
    expect(res.status).toBe(status);
    expect(res.jsonBody).toMatchObject({
      status,
      type: `https://openiom.dev/problems/${slug}`,
      detail: err.message,
    });
    expect(headersOf(res)['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  });

  it('uses a specific code of a subclassed domain error as the problem type', () => {
    const res = fromError(new ConflictError('only 2 available', { code: 'insufficient-inventory' }));
    expect(res.status).toBe(409);
    expect(res.jsonBody.type).toBe('https://openiom.dev/problems/insufficient-inventory');
  });

  it('maps ThrottledError to 429 with Retry-After in whole seconds (at least 1)', () => {
    const res = fromError(new ThrottledError('slow down', 1500));
    expect(res.status).toBe(429);
    expect(headersOf(res)['retry-after']).toBe('2');
    expect(headersOf(fromError(new ThrottledError('slow down', 0)))['retry-after']).toBe('1');
  });

  it('maps unknown errors to a 500 that leaks nothing', () => {
    const secret = new Error('AccountKey=abc123 at /srv/app/secret.ts:42');
    const res = fromError(secret);
    expect(res.status).toBe(500);
    const text = JSON.stringify(res.jsonBody);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('secret.ts');
    expect(res.jsonBody).toMatchObject({ type: 'https://openiom.dev/problems/internal-error', status: 500 });
    expect(fromError('a string').status).toBe(500);
    expect(fromError(undefined).status).toBe(500);
  });
});
