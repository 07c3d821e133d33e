import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { problem } from './problem';

export type JsonBody = { ok: true; value: unknown; text: string } | { ok: false; response: HttpResponseInit };

/**
 * Reads a JSON request body: a media type other than JSON is 415, an empty or malformed body is
 * 400 with the position the parser stopped at, so a client sees what to fix.
 */
export async function readJsonBody(request: HttpRequest): Promise<JsonBody> {
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json' && !contentType.endsWith('+json')) {
    return {
      ok: false,
      response: problem(
        415,
        'Unsupported media type',
        `Send the body as application/json (got ${contentType ? `"${contentType}"` : 'no content-type'}).`
      ),
    };
  }
  const text = await request.text();
  if (text.trim() === '') {
    return { ok: false, response: malformed('The request body is empty.') };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (err) {
    return { ok: false, response: malformed(err instanceof Error ? err.message : 'The body is not JSON.') };
  }
}

function malformed(detail: string): HttpResponseInit {
  return problem(400, 'Malformed JSON', detail, {
    slug: 'malformed-json',
    extra: { errors: [{ path: '', message: detail }] },
  });
}
