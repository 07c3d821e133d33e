import type { HttpResponseInit } from '@azure/functions';
import type { ConsoleFile } from '../ports/console-files';
import { problem } from './problem';

/**
 * Only the console's own files run, load and are fetched: no inline script or style, no other
 * origin, no framing. The console sets styles through the CSSOM, which this allows.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': consoleContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * A console file's answer: the file with its ETag (names are not fingerprinted, so a browser asks
 * again each time and gets 304 while the file is unchanged), or 404 problem+json.
 */
export function consoleResponse(
  found: { file: ConsoleFile; contentType: string } | undefined,
  requested: string | undefined,
  ifNoneMatch: string | null
): HttpResponseInit {
  if (!found) {
    return problem(404, 'Not Found', `The console has no file "${requested ?? ''}".`, {
      headers: securityHeaders,
    });
  }
  const headers = {
    ...securityHeaders,
    'content-type': found.contentType,
    etag: found.file.etag,
    'cache-control': 'no-cache',
  };
  const matches = ifNoneMatch
    ?.split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === found.file.etag || tag === '*');
  if (matches) return { status: 304, headers };
  return { status: 200, headers, body: found.file.content };
}
