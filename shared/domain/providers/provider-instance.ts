import type { ValidationIssue } from '../errors';
import type { ProviderDefinition } from './provider-definition';

export type ParameterValue = string | number | boolean;

/** One configured connection of a provider definition (IOM's provider instance). */
export interface ProviderInstance {
  id: string;
  provider: string;
  name?: string;
  active: boolean;
  parameters: Record<string, ParameterValue>;
  /** Write-only through the API: never returned, logged or exported. */
  secrets: Record<string, string>;
  mappingGroupId?: string;
  /** Per message type, the id of a user transformation used instead of the built-in one. */
  transformations?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** A PUT body: secrets given replace the stored ones, `null` removes one, absent ones are kept. */
export interface ProviderInstanceInput {
  provider: string;
  name?: string;
  active: boolean;
  parameters?: Record<string, ParameterValue>;
  secrets?: Record<string, string | null>;
  mappingGroupId?: string;
  transformations?: Record<string, string>;
}

/**
 * The instance a PUT makes of the stored one (if any): parameters as given (defaults filled in),
 * secrets merged. Issues name the body paths that are wrong for this provider's definition.
 */
export function instanceFromInput(
  id: string,
  input: ProviderInstanceInput,
  definition: ProviderDefinition,
  existing: ProviderInstance | undefined,
  now: Date
): { instance: ProviderInstance; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  if (existing !== undefined && existing.provider !== input.provider) {
    issues.push({
      path: '/provider',
      message: `the instance is a ${existing.provider} instance; create a new instance for ${input.provider}`,
    });
  }
  const parameters: Record<string, ParameterValue> = {};
  const given = input.parameters ?? {};
  for (const name of Object.keys(given)) {
    if (!definition.parameters.some((p) => p.name === name)) {
      issues.push({ path: `/parameters/${name}`, message: `is not a parameter of ${definition.id}` });
    }
  }
  for (const parameter of definition.parameters) {
    const value = given[parameter.name] ?? parameter.default;
    if (value === undefined) {
      if (parameter.required) issues.push({ path: `/parameters/${parameter.name}`, message: 'is required' });
      continue;
    }
    const problem = parameterProblem(parameter.type, value);
    if (problem !== undefined) issues.push({ path: `/parameters/${parameter.name}`, message: problem });
    else parameters[parameter.name] = value;
  }
  const secrets: Record<string, string> = { ...(existing?.secrets ?? {}) };
  for (const [name, value] of Object.entries(input.secrets ?? {})) {
    if (!definition.secrets.some((s) => s.name === name)) {
      issues.push({ path: `/secrets/${name}`, message: `is not a secret of ${definition.id}` });
    } else if (value === null) {
      delete secrets[name];
    } else {
      secrets[name] = value;
    }
  }
  const messageTypes = new Set(definition.messageTypes.map((type) => type.name));
  for (const messageType of Object.keys(input.transformations ?? {})) {
    if (!messageTypes.has(messageType)) {
      issues.push({
        path: `/transformations/${messageType}`,
        message: `is not a message type of ${definition.id} (${[...messageTypes].join(', ')})`,
      });
    }
  }
  const at = now.toISOString();
  const instance: ProviderInstance = {
    id,
    provider: input.provider,
    ...(input.name === undefined ? {} : { name: input.name }),
    active: input.active,
    parameters,
    secrets,
    ...(input.mappingGroupId === undefined ? {} : { mappingGroupId: input.mappingGroupId }),
    ...(input.transformations === undefined ? {} : { transformations: input.transformations }),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  return { instance, issues };
}

function parameterProblem(type: string, value: ParameterValue): string | undefined {
  switch (type) {
    case 'integer':
      return Number.isInteger(value) ? undefined : 'must be an integer';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'url':
      if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+/.test(value)) return 'must be an http(s) URL';
      return undefined;
    default:
      return typeof value === 'string' ? undefined : 'must be text';
  }
}

/** An instance as the API shows it: which secrets are set, never their values. */
export function instanceView(instance: ProviderInstance, definition: ProviderDefinition | undefined) {
  const { secrets, ...rest } = instance;
  const names = new Set([...(definition?.secrets.map((s) => s.name) ?? []), ...Object.keys(secrets)]);
  return {
    ...rest,
    secrets: Object.fromEntries(
      [...names].sort().map((name) => [name, { set: secrets[name] !== undefined }])
    ),
  };
}
