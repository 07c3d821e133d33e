import {
  diffConfiguration,
  itemKey,
  missingReferences,
  secretIssues,
  secretsToSet,
  type ConfigBundle,
  type ConfigDiff,
  type ConfigItem,
  type SecretsToSet,
} from '../../domain/configuration';
import { DomainError, ValidationError, type ValidationIssue } from '../../domain/errors';
import type { Validator } from '../../schemas/validator';
import type { ConfigKind } from './config-kind';
import { currentItems } from './export-configuration';

export interface ImportConfigurationDeps {
  /** Every kind a bundle holds, in the order they are written: what is referenced before what references it. */
  kinds: readonly ConfigKind[];
  validateBundle: Validator<ConfigBundle>;
  /** The secrets a provider's definition declares, in its order. */
  declaredSecrets(provider: string): string[];
  /** The names of the secrets an instance of this configuration has set (none when it does not exist). */
  setSecrets(instanceId: string): Promise<string[]>;
}

export interface ImportAnswer extends ConfigDiff {
  dryRun: boolean;
  /** Instances that will not connect before these secrets are set on this configuration. */
  secretsToSet: SecretsToSet[];
}

/**
 * `POST /api/v1/config/import[?dryRun=true]`: makes this configuration what the bundle says, item by
 * item, and answers the differences it found (added, changed with the paths, removed, unchanged). A
 * bundle with a secret in it, an item of an unknown kind, an id twice, or a reference to a document
 * the bundle does not hold is refused whole (400 naming each), before anything is written. Only
 * added and changed items are written, so the same bundle twice changes nothing the second time.
 * Documents the bundle does not hold are reported as `removed` and left in place (no kind is deleted
 * by an import). Kinds are written one after the other in dependency order; when a write fails, the
 * items of that kind written so far are put back as they were and the import stops there (kinds
 * written before stay written).
 */
export async function importConfiguration(
  deps: ImportConfigurationDeps,
  body: unknown,
  rawDryRun: string | null
): Promise<ImportAnswer> {
  const dryRun = dryRunOf(rawDryRun);
  const bundle = deps.validateBundle(body);
  refuseInvalid(deps, bundle.items);
  const current = await currentItems(deps);
  const diff = diffConfiguration(current, bundle.items);
  if (!dryRun) await applyChanges(deps, bundle.items, current, diff);
  return { dryRun, ...diff, secretsToSet: await missingSecrets(deps, bundle.items) };
}

/** `?dryRun=true` or `false` (the default when absent). */
function dryRunOf(raw: string | null): boolean {
  if (raw === null || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ValidationError('The query is not valid.', [
    { path: '/dryRun', message: 'must be true or false' },
  ]);
}

function refuseInvalid(deps: ImportConfigurationDeps, items: readonly ConfigItem[]): void {
  const secrets = secretIssues(items);
  if (secrets.length > 0) {
    throw new ValidationError('A configuration bundle carries no secrets.', secrets, {
      code: 'config-bundle-secrets',
    });
  }
  const kinds = new Map(deps.kinds.map((k) => [k.kind, k]));
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const kind = kinds.get(item.kind);
    if (kind === undefined) {
      issues.push({
        path: `/items/${index}/kind`,
        message: `must be one of ${[...kinds.keys()].join(', ')}`,
      });
    } else if (kind.publishes === true && item.published === undefined) {
      issues.push({
        path: `/items/${index}/published`,
        message: `is required: a ${item.kind} is published or not`,
      });
    } else if (kind.publishes !== true && item.published !== undefined) {
      issues.push({
        path: `/items/${index}/published`,
        message: `a ${item.kind} is not published: leave it out`,
      });
    }
    const key = itemKey(item);
    if (seen.has(key))
      issues.push({ path: `/items/${index}/id`, message: `${item.kind} ${item.id} is there twice` });
    seen.add(key);
  });
  issues.push(...missingReferences(items));
  if (issues.length > 0) throw new ValidationError('The configuration bundle is not valid.', issues);
}

async function applyChanges(
  deps: ImportConfigurationDeps,
  items: readonly ConfigItem[],
  current: readonly ConfigItem[],
  diff: ConfigDiff
): Promise<void> {
  const toWrite = new Set([...diff.added, ...diff.changed].map(itemKey));
  const before = new Map(current.map((item) => [itemKey(item), item]));
  const indexOf = new Map(items.map((item, index) => [itemKey(item), index]));
  for (const kind of deps.kinds) {
    const writes = items.filter((item) => item.kind === kind.kind && toWrite.has(itemKey(item)));
    if (kind.writeOrder) writes.sort(kind.writeOrder);
    const written: ConfigItem[] = [];
    for (const item of writes) {
      try {
        await kind.put(item);
        written.push(item);
      } catch (err) {
        await restore(kind, written, before);
        throw failedItem(err, item, indexOf.get(itemKey(item))!);
      }
    }
  }
}

/** Puts back what the items of one kind were before the import (added ones stay: kinds have no delete). */
async function restore(kind: ConfigKind, written: readonly ConfigItem[], before: Map<string, ConfigItem>) {
  for (const item of [...written].reverse()) {
    const previous = before.get(itemKey(item));
    if (previous !== undefined) await kind.put(previous).catch(() => undefined);
  }
}

/** The item's own error, its paths made paths into the bundle. */
function failedItem(err: unknown, item: ConfigItem, index: number): unknown {
  const what = `${item.kind} ${item.id}`;
  if (err instanceof ValidationError) {
    return new ValidationError(
      `${what} was refused: ${err.message}`,
      err.errors.map((issue) => ({ path: `/items/${index}/content${issue.path}`, message: issue.message })),
      { code: err.code, cause: err }
    );
  }
  if (err instanceof DomainError) err.message = `${what} was refused: ${err.message}`;
  return err;
}

async function missingSecrets(
  deps: ImportConfigurationDeps,
  items: readonly ConfigItem[]
): Promise<SecretsToSet[]> {
  const instances = items.filter((item) => item.kind === 'provider-instance');
  return secretsToSet(
    await Promise.all(
      instances.map(async (item) => ({
        instanceId: item.id,
        declared: deps.declaredSecrets(String(item.content.provider)),
        set: await deps.setSecrets(item.id),
      }))
    )
  );
}
