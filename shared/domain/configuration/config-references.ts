import { isBuiltInEmailTemplate } from '../email/built-in-templates';
import type { ValidationIssue } from '../errors';
import { itemKey, type ConfigItem } from './config-bundle';

/** One document an item names: the kind and id it must find, and where in the item it names it. */
export interface ConfigReference {
  kind: string;
  id: string;
  path: string;
}

type ReferenceRule = (content: Record<string, unknown>) => ConfigReference[];

/**
 * What each kind of document names of other documents. A kind without a rule names nothing; a kind
 * added to the bundles adds its rule here. Built-in things (provider definitions, the built-in email
 * templates) are not documents and are never missing.
 */
const referenceRules: Readonly<Record<string, ReferenceRule>> = {
  'provider-instance': (content) => [
    ...optional('mapping-group', content.mappingGroupId, '/content/mappingGroupId'),
    ...Object.entries(objectOf(content.transformations)).flatMap(([messageType, id]) =>
      optional('transformation', id, `/content/transformations/${messageType}`)
    ),
  ],
  'source-list': (content) =>
    arrayOf(content.sourceIds).flatMap((id, i) => optional('source', id, `/content/sourceIds/${i}`)),
  'fulfillment-strategy': (content) => [
    ...optional('source-list', content.sourceListId, '/content/sourceListId'),
    ...optional('fulfillment-strategy', content.alternateStrategyId, '/content/alternateStrategyId'),
  ],
  journey: (content) =>
    arrayOf(content.steps).flatMap((raw, i) => {
      const node = objectOf(raw);
      const at = `/content/steps/${i}`;
      const template = node.emailTemplateId;
      return [
        ...optional('policy', node.filterPolicyId, `${at}/filterPolicyId`),
        ...arrayOf(node.executionPolicyIds).flatMap((id, j) =>
          optional('policy', id, `${at}/executionPolicyIds/${j}`)
        ),
        ...arrayOf(node.branches).flatMap((branch, j) =>
          optional('policy', objectOf(branch).filterPolicyId, `${at}/branches/${j}/filterPolicyId`)
        ),
        ...optional(
          'provider-instance',
          objectOf(node.providerAction).instanceId,
          `${at}/providerAction/instanceId`
        ),
        ...(typeof template === 'string' && isBuiltInEmailTemplate(template)
          ? []
          : optional('email-template', template, `${at}/emailTemplateId`)),
      ];
    }),
};

/** Every document the item names. */
export function referencesOf(item: ConfigItem): ConfigReference[] {
  return referenceRules[item.kind]?.(item.content) ?? [];
}

/**
 * One issue per reference to a document the bundle does not hold, at the referring item's path
 * (`/items/3/content/steps/0/filterPolicyId`): a bundle is applied whole, so it must be whole.
 */
export function missingReferences(items: readonly ConfigItem[]): ValidationIssue[] {
  const held = new Set(items.map(itemKey));
  const issues: ValidationIssue[] = [];
  items.forEach((item, index) => {
    for (const ref of referencesOf(item)) {
      if (held.has(itemKey(ref))) continue;
      issues.push({
        path: `/items/${index}${ref.path}`,
        message: `${item.kind} ${item.id} references ${ref.kind} ${ref.id}, which the bundle does not contain`,
      });
    }
  });
  return issues;
}

function optional(kind: string, id: unknown, path: string): ConfigReference[] {
  return typeof id === 'string' && id !== '' ? [{ kind, id, path }] : [];
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
