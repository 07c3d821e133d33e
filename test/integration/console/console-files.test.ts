import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { consoleFileDirectory } from '../../../shared/adapters/files/console-file-directory';
import { consoleFile } from '../../../shared/app/console/console-file';
import { consoleResponse } from '../../../shared/http/console-response';

/** The console's files as GET / and GET /{file} answer them, read from a real directory. */

const directory = mkdtempSync(path.join(os.tmpdir(), 'openiom-console-files-'));
const outside = path.join(path.dirname(directory), `secret-${path.basename(directory)}.js`);

beforeAll(() => {
  writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>c</title>');
  writeFileSync(path.join(directory, 'main.js'), 'export {};');
  writeFileSync(path.join(directory, 'console.css'), 'body{}');
  writeFileSync(path.join(directory, 'notes.bin'), 'raw');
  mkdirSync(path.join(directory, 'folder.js'));
  writeFileSync(outside, 'not the console');
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
  rmSync(outside, { force: true });
});

const deps = { files: consoleFileDirectory(directory) };
const answer = async (requested: string | undefined, ifNoneMatch: string | null = null) =>
  consoleResponse(await consoleFile(deps, requested), requested, ifNoneMatch);
const header = (response: { headers?: unknown }, name: string) =>
  (response.headers as Record<string, string>)[name];

describe('console files', () => {
  it('answers / with index.html and each file with its content type, an ETag and no-cache', async () => {
    const index = await answer(undefined);
    expect(index.status).toBe(200);
    expect(header(index, 'content-type')).toBe('text/html; charset=utf-8');
    expect(Buffer.from(index.body as Uint8Array).toString()).toBe('<!doctype html><title>c</title>');
    expect(header(index, 'cache-control')).toBe('no-cache');
    expect(header(await answer('main.js'), 'content-type')).toBe('text/javascript; charset=utf-8');
    expect(header(await answer('console.css'), 'content-type')).toBe('text/css; charset=utf-8');
    expect(header(await answer(''), 'etag')).toBe(header(index, 'etag'));
    expect(header(index, 'etag')).not.toBe(header(await answer('main.js'), 'etag'));
  });

  it('sends the Content-Security-Policy that allows no inline script, on every answer', async () => {
    for (const response of [await answer('index.html'), await answer('missing.js')]) {
      const policy = header(response, 'content-security-policy');
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(header(response, 'x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers 304 to a request that has the current ETag', async () => {
    const etag = header(await answer('main.js'), 'etag');
    const unchanged = await answer('main.js', `W/"other", ${etag}`);
    expect([unchanged.status, unchanged.body]).toEqual([304, undefined]);
    expect((await answer('main.js', '"other"')).status).toBe(200);
  });

  it('answers 404 problem+json for a missing file, a type it does not serve, a folder or a path out of it', async () => {
    for (const requested of [
      'missing.js',
      'notes.bin',
      'folder.js',
      `../${path.basename(outside)}`,
      '..%2Fmain.js',
    ]) {
      const response = await answer(requested);
      expect([requested, response.status, header(response, 'content-type')]).toEqual([
        requested,
        404,
        'application/problem+json',
      ]);
    }
  });

  it('serves a rebuilt file as it is now, with a new ETag', async () => {
    const before = await answer('console.css');
    writeFileSync(path.join(directory, 'console.css'), 'body{color:black}');
    const after = await answer('console.css');
    expect(Buffer.from(after.body as Uint8Array).toString()).toBe('body{color:black}');
    expect(header(after, 'etag')).not.toBe(header(before, 'etag'));
  });

  it('answers nothing from a directory that is not there (a build that did not run)', async () => {
    const none = { files: consoleFileDirectory(path.join(directory, 'not-built')) };
    expect(await consoleFile(none, undefined)).toBeUndefined();
  });
});
