import { existsSync, readdirSync, readFileSync } from 'fs';
import path from 'path';

/**
 * The entry files of a function app: its package.json `main`, which may be a glob as `func init`
 * writes it (`dist/src/functions/*.js`, `dist/src/{index.js,functions/*.js}`), resolved against the
 * app's root. Files are loaded in sorted order, as the Node worker does.
 */
export function appEntryFiles(appRoot: string, main?: string | string[]): string[] {
  const patterns = main === undefined ? [packageMain(appRoot)] : Array.isArray(main) ? main : [main];
  const files = new Set<string>();
  for (const pattern of patterns.flatMap(expandBraces)) {
    const absolute = path.resolve(appRoot, pattern);
    if (!/[*?[]/.test(pattern)) {
      if (!existsSync(absolute))
        throw new Error(`The app's entry ${absolute} does not exist; build the app first.`);
      files.add(absolute);
      continue;
    }
    const matched = globFiles(absolute);
    if (matched.length === 0)
      throw new Error(`No file matches the app's entry "${pattern}" under ${appRoot}; build the app first.`);
    for (const file of matched) files.add(file);
  }
  return [...files].sort();
}

/** The app's `main` from its package.json; `index.js` when it names none, as Node does. */
export function packageMain(appRoot: string): string {
  const file = path.join(appRoot, 'package.json');
  if (!existsSync(file)) throw new Error(`${appRoot} has no package.json; point the host at a function app.`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { main?: unknown };
  return typeof parsed.main === 'string' && parsed.main ? parsed.main : 'index.js';
}

/** The app's package name as a blob-path-safe id (receipts and timer leases are kept under it). */
export function appHostId(appRoot: string): string {
  try {
    const parsed = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { name?: unknown };
    const name =
      typeof parsed.name === 'string' ? parsed.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-') : '';
    return name.replace(/^-+|-+$/g, '') || 'functions-app';
  } catch {
    return 'functions-app';
  }
}

function expandBraces(pattern: string): string[] {
  const match = /\{([^{}]*)\}/.exec(pattern);
  if (!match) return [pattern];
  const [whole, inner] = match;
  return inner!.split(',').flatMap((option) => expandBraces(pattern.replace(whole, option)));
}

/** Files matching an absolute pattern with `*`, `?` and `**` segments. */
function globFiles(pattern: string): string[] {
  const segments = pattern.split(path.sep === '\\' ? /[\\/]/ : '/');
  const firstWild = segments.findIndex((s) => /[*?[]/.test(s));
  const base = segments.slice(0, firstWild).join(path.sep) || path.sep;
  const rest = segments.slice(firstWild);
  const found: string[] = [];
  walk(base, rest, found);
  return found;
}

function walk(dir: string, segments: string[], found: string[]): void {
  const [segment, ...rest] = segments;
  if (segment === undefined) return;
  let entries: import('fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (segment === '**') {
    walk(dir, rest, found);
    for (const entry of entries)
      if (entry.isDirectory() && entry.name !== 'node_modules')
        walk(path.join(dir, entry.name), segments, found);
    return;
  }
  const matcher = segmentRegExp(segment);
  for (const entry of entries) {
    if (!matcher.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (rest.length === 0) {
      if (entry.isFile()) found.push(full);
    } else if (entry.isDirectory()) walk(full, rest, found);
  }
}

function segmentRegExp(segment: string): RegExp {
  const source = segment
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|\\\]]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
