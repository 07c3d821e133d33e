import diff from 'microdiff';
import { itemKey, type ConfigItem } from './config-bundle';

export interface ItemName {
  kind: string;
  id: string;
}

export interface ChangedItem extends ItemName {
  /** JSON Pointers (RFC 6901) into the item of every value that differs: `/content/rule/all/0/value`. */
  paths: string[];
}

/** What importing a bundle does to a configuration, item by item. */
export interface ConfigDiff {
  added: ItemName[];
  changed: ChangedItem[];
  /** In the configuration, not in the bundle. */
  removed: ItemName[];
  unchanged: number;
}

/** The differences between the configuration as it is (`current`) and as the bundle has it (`wanted`). */
export function diffConfiguration(current: readonly ConfigItem[], wanted: readonly ConfigItem[]): ConfigDiff {
  const before = new Map(current.map((item) => [itemKey(item), item]));
  const wantedKeys = new Set(wanted.map(itemKey));
  const result: ConfigDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  for (const item of wanted) {
    const old = before.get(itemKey(item));
    if (old === undefined) {
      result.added.push(nameOf(item));
      continue;
    }
    const paths = changedPaths(old, item);
    if (paths.length === 0) result.unchanged++;
    else result.changed.push({ ...nameOf(item), paths });
  }
  for (const item of current) if (!wantedKeys.has(itemKey(item))) result.removed.push(nameOf(item));
  return result;
}

/** Every path where the two items differ, each once, in a stable order. */
export function changedPaths(a: ConfigItem, b: ConfigItem): string[] {
  const paths = diff(a as unknown as Record<string, unknown>, b as unknown as Record<string, unknown>).map(
    (d) => pointerOf(d.path)
  );
  return [...new Set(paths)].sort();
}

function nameOf(item: ConfigItem): ItemName {
  return { kind: item.kind, id: item.id };
}

function pointerOf(path: readonly (string | number)[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Whether two JSON values are equal member for member (the order of keys aside). */
export function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return diff(a, b).length === 0;
}
