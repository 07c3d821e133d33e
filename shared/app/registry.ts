/**
 * The one registry of a worker's long-lived objects: SDK clients, container handles, compiled
 * validators, queues and caches are made on first use and then reused for the worker's life — a
 * cold start pays only for what the invoked function touches, and clients (with their connection
 * pools) are never created per request. Every feature's wiring.ts memoizes through here, so one
 * `resetRegistry()` forgets all of it (a test rewiring against another environment).
 */

interface Entry {
  value: unknown;
  dispose?: (value: unknown) => void;
}

const entries = new Map<string, Entry>();

/** The value under `key`, made by `factory` on first use; `dispose` runs when the registry is reset. */
export function memo<T>(key: string, factory: () => T, dispose?: (value: T) => void): T {
  const found = entries.get(key);
  if (found !== undefined) return found.value as T;
  const value = factory();
  entries.set(key, { value, ...(dispose ? { dispose: dispose as (value: unknown) => void } : {}) });
  return value;
}

/** Forget `key` if it still holds `value` (a failed attempt, so that the next call tries again). */
export function forget(key: string, value: unknown): void {
  if (entries.get(key)?.value === value) entries.delete(key);
}

/** Put `value` under `key` in place of what the factory would make (a test's fixed clock). */
export function override<T>(key: string, value: T): void {
  entries.set(key, { value });
}

/** Dispose of and forget everything, overrides included. */
export function resetRegistry(): void {
  const all = [...entries.values()];
  entries.clear();
  for (const entry of all) entry.dispose?.(entry.value);
}
