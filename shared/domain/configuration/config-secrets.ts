import type { ValidationIssue } from '../errors';
import type { ConfigItem } from './config-bundle';

/**
 * A bundle never carries secrets: an item with a `secrets` member anywhere (a provider instance as
 * its PUT body would have it) is refused, whatever the value, so a secret never travels in a file
 * that ends up in git. One issue per place.
 */
export function secretIssues(items: readonly ConfigItem[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  items.forEach((item, index) => findSecrets(item, `/items/${index}`, issues));
  return issues;
}

function findSecrets(value: unknown, path: string, issues: ValidationIssue[]): void {
  if (Array.isArray(value)) {
    value.forEach((element, i) => findSecrets(element, `${path}/${i}`, issues));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, member] of Object.entries(value)) {
    const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === 'secrets') {
      issues.push({
        path: at,
        message: 'a bundle carries no secrets: remove them and set them on the target instance',
      });
    } else findSecrets(member, at, issues);
  }
}

/** A provider instance whose definition declares secrets the instance has not set. */
export interface SecretsToSet {
  instanceId: string;
  secrets: string[];
}

/**
 * The secrets still to set on each instance: those its definition declares that are not set, in
 * the definition's order; instances missing none are left out.
 */
export function secretsToSet(
  instances: readonly { instanceId: string; declared: readonly string[]; set: readonly string[] }[]
): SecretsToSet[] {
  return instances
    .map(({ instanceId, declared, set }) => ({
      instanceId,
      secrets: declared.filter((name) => !set.includes(name)),
    }))
    .filter((entry) => entry.secrets.length > 0)
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
}
