/** What a page gets when the shell shows it. */
export interface PageContext {
  /** The `:name` parts of the route's path, decoded. */
  params: Record<string, string>;
  /** The query after the hash path (`#/orders?state=Failed`). */
  query: URLSearchParams;
  /** Where the page draws, below its heading and the notices. */
  body: HTMLElement;
  /** Aborted when the reader leaves the page: stop timers and requests with it. */
  signal: AbortSignal;
  /** Replaces the heading (and the document title), e.g. with the order's id once known. */
  setTitle: (title: string) => void;
}

/** One page of the console: its hash path (`/orders/:orderId`), heading and drawing. */
export interface PageRoute {
  path: string;
  title: string;
  render(context: PageContext): void | Promise<void>;
}

/** The params of `path` when it matches `pattern` (`/orders/:orderId`), else undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    const value = have[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = safeDecode(value);
    else if (part !== value) return undefined;
  }
  return params;
}

/** The hash of a console page: `hashOf('/orders', {state: 'Failed'})` is `#/orders?state=Failed`. */
export function hashOf(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) search.set(name, value);
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

/** The page path and query the location's hash names (`#/orders/1?x=y`), or undefined for `#main`-style anchors. */
export function currentLocation(): { path: string; query: URLSearchParams } | undefined {
  const hash = location.hash;
  if (hash !== '' && hash !== '#' && !hash.startsWith('#/')) return undefined;
  const raw = hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  return {
    path: at < 0 ? raw : raw.slice(0, at),
    query: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
