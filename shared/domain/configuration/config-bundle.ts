import { configure } from 'safe-stable-stringify';

/** The bundle's format name and the version of its layout; a reader refuses any other. */
export const CONFIG_BUNDLE_FORMAT = 'openiom-config';
export const CONFIG_BUNDLE_VERSION = 1;

/**
 * One configuration document as a bundle carries it: what a user would send to the document's own
 * PUT route (`content`), never what storage adds (ETags, timestamps, version numbers, secrets).
 * `published` is there for the kinds that publish (policies, journeys): true when a version is in
 * force, false when only a draft (or an archived version) exists.
 */
export interface ConfigItem {
  kind: string;
  id: string;
  content: Record<string, unknown>;
  published?: boolean;
}

export interface ConfigBundle {
  format: typeof CONFIG_BUNDLE_FORMAT;
  version: typeof CONFIG_BUNDLE_VERSION;
  items: ConfigItem[];
}

/** `kind\u0000id`: one key per document, for maps and sorting. */
export function itemKey(item: Pick<ConfigItem, 'kind' | 'id'>): string {
  return `${item.kind}\u0000${item.id}`;
}

/** By kind, then id, comparing code units (never the locale), so every machine sorts alike. */
export function compareItems(a: ConfigItem, b: ConfigItem): number {
  const ka = itemKey(a);
  const kb = itemKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The bundle of these items, sorted so that two exports of the same configuration are equal. */
export function bundleOf(items: readonly ConfigItem[]): ConfigBundle {
  return {
    format: CONFIG_BUNDLE_FORMAT,
    version: CONFIG_BUNDLE_VERSION,
    items: [...items].sort(compareItems),
  };
}

const stableStringify = configure({ deterministic: true, bigint: false, circularValue: Error });

/**
 * The bundle as text: keys sorted at every level, two-space indentation, one value per line and a
 * newline at the end, so a bundle kept in git diffs line by line and two exports compare byte for byte.
 */
export function bundleText(bundle: ConfigBundle): string {
  return `${stableStringify(bundle, null, 2)}\n`;
}
