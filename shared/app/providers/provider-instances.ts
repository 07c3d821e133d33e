import { ConflictError, NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import {
  instanceFromInput,
  instanceView,
  type ProviderInstance,
  type ProviderInstanceInput,
} from '../../domain/providers/provider-instance';
import {
  repeatedMappings,
  type MappingGroup,
  type ValueMapping,
} from '../../domain/providers/value-mappings';
import type { Clock } from '../../ports/clock';
import type { ProviderPlugins } from '../../ports/provider-plugins';
import type { PollCheckpoint } from '../../ports/providers';
import type { Validator } from '../../schemas/validator';
import type { ProviderSettings } from './provider-settings';

export interface ProviderConfigDeps {
  plugins: ProviderPlugins;
  settings: ProviderSettings;
  validate: {
    route: Validator<{ id: string }>;
    instance: Validator<ProviderInstanceInput>;
    mappingGroup: Validator<{ name?: string; mappings: ValueMapping[] }>;
  };
  clock: Clock;
  /** The poller's checkpoint of an instance, shown with it. */
  checkpoint: (instanceId: string) => Promise<PollCheckpoint | undefined>;
}

export type InstanceView = ReturnType<typeof instanceView> & { polling?: PollingView };

/** Where an instance's poller stands, as `GET /api/v1/provider-instances/{id}` shows it. */
export interface PollingView {
  since?: string;
  running: boolean;
  lastRunStartedAt?: string;
  lastRunEndedAt?: string;
  lastError?: string;
  /** Pages and messages of the last (or current) run. */
  pages?: number;
  messages?: number;
}

/** `GET /api/v1/providers`: the built-in definitions, with their built-in transformations. */
export function listProviders(deps: Pick<ProviderConfigDeps, 'plugins'>) {
  return deps.plugins.all().map((plugin) => plugin.definition);
}

/**
 * `PUT /api/v1/provider-instances/{instanceId}`: creates or replaces an instance. Parameters are
 * checked against the definition; secrets are write-only (absent ones kept, `null` removes one); a
 * mapping group or transformation it names must exist; at most one active instance per definition
 * unless the definition allows several (409 `provider-instance-active`).
 */
export async function putProviderInstance(
  deps: ProviderConfigDeps,
  rawId: string,
  body: unknown
): Promise<{ instance: InstanceView; created: boolean }> {
  const { id } = deps.validate.route({ id: rawId });
  const input = deps.validate.instance(body);
  const plugin = deps.plugins.get(input.provider);
  if (plugin === undefined) {
    throw new ValidationError('Unknown provider.', [
      {
        path: '/provider',
        message: `must be one of ${deps.plugins
          .all()
          .map((p) => p.definition.id)
          .join(', ')}`,
      },
    ]);
  }
  const existing = await deps.settings.repository.getInstance(id);
  const { instance, issues } = instanceFromInput(id, input, plugin.definition, existing, deps.clock.now());
  issues.push(...(plugin.checkParameters?.(instance.parameters) ?? []));
  issues.push(...(await referenceIssues(deps, instance)));
  if (issues.length > 0) throw new ValidationError('The provider instance is not valid.', issues);
  if (instance.active && !plugin.definition.allowsMultipleInstances) {
    const others = (await deps.settings.repository.listInstances()).filter(
      (other) => other.id !== id && other.provider === instance.provider && other.active
    );
    if (others.length > 0) {
      throw new ConflictError(
        `Instance ${others[0]!.id} of ${instance.provider} is active; ${instance.provider} allows one active instance. Deactivate it first.`,
        { code: 'provider-instance-active' }
      );
    }
  }
  await deps.settings.repository.putInstance(instance);
  deps.settings.forget();
  return { instance: instanceView(instance, plugin.definition), created: existing === undefined };
}

async function referenceIssues(
  deps: ProviderConfigDeps,
  instance: ProviderInstance
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  if (
    instance.mappingGroupId !== undefined &&
    (await deps.settings.repository.getMappingGroup(instance.mappingGroupId)) === undefined
  ) {
    issues.push({ path: '/mappingGroupId', message: `no mapping group ${instance.mappingGroupId}` });
  }
  for (const [messageType, transformationId] of Object.entries(instance.transformations ?? {})) {
    const found = await deps.settings.repository.getTransformation(transformationId);
    if (found === undefined) {
      issues.push({
        path: `/transformations/${messageType}`,
        message: `no transformation ${transformationId}`,
      });
    } else if (found.transformation.messageType !== messageType) {
      issues.push({
        path: `/transformations/${messageType}`,
        message: `transformation ${transformationId} is for ${found.transformation.messageType}`,
      });
    }
  }
  return issues;
}

/** `GET /api/v1/provider-instances/{instanceId}`: which secrets are set, never their values. */
export async function getProviderInstance(deps: ProviderConfigDeps, rawId: string): Promise<InstanceView> {
  const { id } = deps.validate.route({ id: rawId });
  const instance = await deps.settings.repository.getInstance(id);
  if (instance === undefined) throw instanceNotFound(id);
  const plugin = deps.plugins.get(instance.provider);
  const view: InstanceView = instanceView(instance, plugin?.definition);
  if (plugin?.poller === undefined) return view;
  const checkpoint = await deps.checkpoint(id);
  const running =
    checkpoint?.leaseUntil !== undefined && Date.parse(checkpoint.leaseUntil) > deps.clock.now().getTime();
  return {
    ...view,
    polling: {
      ...(checkpoint?.position.since === undefined ? {} : { since: checkpoint.position.since }),
      running,
      ...pick(checkpoint, ['lastRunStartedAt', 'lastRunEndedAt', 'lastError', 'pages', 'messages']),
    },
  };
}

function pick<T extends object, K extends keyof T>(
  value: T | undefined,
  keys: readonly K[]
): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value?.[key] !== undefined) picked[key] = value[key];
  return picked;
}

export async function listProviderInstances(deps: ProviderConfigDeps): Promise<InstanceView[]> {
  const instances = await deps.settings.repository.listInstances();
  return instances.map((instance) => instanceView(instance, deps.plugins.get(instance.provider)?.definition));
}

export function instanceNotFound(id: string): NotFoundError {
  return new NotFoundError(`No provider instance ${id}.`, { code: 'provider-instance-not-found' });
}

/** `PUT /api/v1/mapping-groups/{id}`: the group's value mappings, replaced as a whole. */
export async function putMappingGroup(
  deps: ProviderConfigDeps,
  rawId: string,
  body: unknown
): Promise<{ group: MappingGroup; created: boolean }> {
  const { id } = deps.validate.route({ id: rawId });
  const input = deps.validate.mappingGroup(body);
  const repeats = repeatedMappings(input.mappings);
  if (repeats.length > 0) {
    throw new ValidationError(
      'The mapping group is not valid.',
      repeats.map(({ index, first }) => ({
        path: `/mappings/${index}`,
        message: `maps the same ${input.mappings[index]!.type} value as /mappings/${first}`,
      }))
    );
  }
  const existing = await deps.settings.repository.getMappingGroup(id);
  const now = deps.clock.now().toISOString();
  const group: MappingGroup = {
    id,
    ...(input.name === undefined ? {} : { name: input.name }),
    mappings: input.mappings,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.settings.repository.putMappingGroup(group);
  deps.settings.forget();
  return { group, created: existing === undefined };
}

export async function getMappingGroup(deps: ProviderConfigDeps, rawId: string): Promise<MappingGroup> {
  const { id } = deps.validate.route({ id: rawId });
  const group = await deps.settings.repository.getMappingGroup(id);
  if (group === undefined)
    throw new NotFoundError(`No mapping group ${id}.`, { code: 'mapping-group-not-found' });
  return group;
}

export function listMappingGroups(deps: ProviderConfigDeps): Promise<MappingGroup[]> {
  return deps.settings.repository.listMappingGroups();
}
