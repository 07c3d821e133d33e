/**
 * Route templates as Azure Functions reads them (ASP.NET style): literal segments, `{name}`,
 * `{name?}`, `{*rest}` catch-all and the common constraints (`{id:int}`, `:alpha`, `:guid`, `:bool`).
 * Pure: no I/O, so the matching rules get unit tests of their own.
 */

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; catchAll: boolean; constraint?: string };

export interface CompiledRoute<T> {
  template: string;
  segments: Segment[];
  target: T;
}

export class RouteTemplateError extends Error {}

const constraints: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  alpha: /^[a-z]+$/i,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

export function compileRoute<T>(template: string, target: T): CompiledRoute<T> {
  const parts = splitPath(template);
  const segments = parts.map((part, index): Segment => {
    const match = /^\{(\*)?([A-Za-z_][\w-]*)(?::([a-z]+))?(\?)?\}$/.exec(part);
    if (!match) {
      if (/[{}]/.test(part))
        throw new RouteTemplateError(`Unsupported route segment "${part}" in "${template}".`);
      return { kind: 'literal', text: part.toLowerCase() };
    }
    const [, star, name = '', constraint, optional] = match;
    if (constraint && !(constraint in constraints)) {
      throw new RouteTemplateError(`Unknown route constraint "${constraint}" in "${template}".`);
    }
    if (star && index !== parts.length - 1) {
      throw new RouteTemplateError(`Catch-all "{*${name}}" must be the last segment of "${template}".`);
    }
    return {
      kind: 'param',
      name,
      optional: Boolean(optional) || Boolean(star),
      catchAll: Boolean(star),
      constraint,
    };
  });
  return { template, segments, target };
}

/** Literal segments win over parameters, and catch-alls come last, as in ASP.NET routing. */
export function sortRoutes<T>(routes: CompiledRoute<T>[]): CompiledRoute<T>[] {
  const score = (route: CompiledRoute<T>) =>
    route.segments
      .map((s) => (s.kind === 'literal' ? '0' : s.catchAll ? '3' : s.constraint ? '1' : '2'))
      .join('');
  return [...routes].sort(
    (a, b) => score(a).localeCompare(score(b)) || b.segments.length - a.segments.length
  );
}

export function matchRoute<T>(route: CompiledRoute<T>, path: string): Record<string, string> | undefined {
  return matchParts(route, pathParts(path));
}

/** A request path's segments, decoded once (and lower-cased for literals) whatever the number of routes. */
export interface PathParts {
  decoded: string[];
  lower: string[];
}

export function pathParts(path: string): PathParts {
  const decoded = splitPath(path).map(safeDecode);
  return { decoded, lower: decoded.map((part) => part.toLowerCase()) };
}

export function matchParts<T>(route: CompiledRoute<T>, path: PathParts): Record<string, string> | undefined {
  const parts = path.decoded;
  if (parts.length > route.segments.length && !route.segments.some((s) => s.kind === 'param' && s.catchAll))
    return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    const part = parts[i];
    if (segment.kind === 'literal') {
      if (part === undefined || path.lower[i] !== segment.text) return undefined;
      continue;
    }
    if (segment.catchAll) {
      const rest = parts.slice(i).join('/');
      if (rest) params[segment.name] = rest;
      return params;
    }
    if (part === undefined) {
      if (!segment.optional) return undefined;
      continue;
    }
    if (segment.constraint && !constraints[segment.constraint]!.test(part)) return undefined;
    params[segment.name] = part;
  }
  return parts.length <= route.segments.length ? params : undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p.length > 0);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
