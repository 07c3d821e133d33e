/**
 * Entity tags for preconditions on products and policies (RFC 9110 §8.8.3, §13.1.1–2). Storage versions are opaque;
 * on the wire they are quoted strings, whatever quoting the store used.
 */

/** `*` (any current version) or a list of entity tags, each with its quotes. */
export type EntityTagCondition = { any: true } | { any: false; tags: { tag: string; weak: boolean }[] };

/** The entity tag a storage version is shown as: quoted exactly once. */
export function entityTagOf(version: string): string {
  return version.length >= 2 && version.startsWith('"') && version.endsWith('"') ? version : `"${version}"`;
}

/**
 * Reads an If-Match / If-None-Match header; undefined when absent or blank. Lenient about one thing
 * clients often get wrong: an unquoted tag is read as if it were quoted.
 */
export function parseEntityTags(header: string | null | undefined): EntityTagCondition | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (value === '*') return { any: true };
  const tags = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const weak = part.startsWith('W/');
      return { tag: entityTagOf(weak ? part.slice(2) : part), weak };
    });
  return { any: false, tags };
}

/**
 * Whether a resource at `version` (undefined: it does not exist) satisfies the condition. `strong`
 * is If-Match's comparison, where a weak tag never matches; If-None-Match compares weakly.
 */
export function conditionMatches(
  condition: EntityTagCondition,
  version: string | undefined,
  comparison: 'strong' | 'weak'
): boolean {
  if (version === undefined) return false;
  if (condition.any) return true;
  const current = entityTagOf(version);
  return condition.tags.some(({ tag, weak }) => tag === current && (comparison === 'weak' || !weak));
}
