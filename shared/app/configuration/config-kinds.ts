import { sameContent } from '../../domain/configuration';
import type { Journey } from '../../domain/journeys/journey';
import type { Policy } from '../../domain/policies';
import { latestVersion } from '../../domain/providers/transformation';
import type { CustomStateFrameworkConfig } from '../../domain/states/merge-config';
import type { EmailTemplateDeps } from '../email/email-templates';
import {
  replaceMeasureConfiguration,
  type MeasureConfigurationDeps,
} from '../inventory/measures/inventory-measure-config';
import { putEmailTemplate } from '../email/email-templates';
import { putSourceList, type PutSourceListDeps } from '../fulfillment/source-lists';
import { putSource, type PutSourceDeps } from '../fulfillment/sources';
import { putStrategy, type PutStrategyDeps } from '../fulfillment/fulfillment-strategies';
import { publishLatestJourney, unpublishJourneyVersion } from '../journeys/journey-lifecycle';
import { putJourney } from '../journeys/put-journey';
import type { JourneyDeps } from '../journeys/wiring';
import { createPolicy } from '../policies/create-policy';
import { publishLatestPolicy, unpublishPolicyVersion } from '../policies/policy-lifecycle';
import { putPolicy } from '../policies/put-policy';
import type { PolicyRepository } from '../../ports/policies';
import type { StateFrameworkStore } from '../../ports/state-framework';
import {
  putMappingGroup,
  putProviderInstance,
  type ProviderConfigDeps,
} from '../providers/provider-instances';
import { putTransformation, type TransformationDeps } from '../providers/transformations';
import { replaceStateFramework } from '../states/state-framework-config';
import { listAlertRules, putAlertRule, type AlertRuleDeps } from '../alerts/alert-rules';
import type { ConfigKind } from './config-kind';

/** A document's own fields without the ones storage sets (id, timestamps) and those named. */
export function contentOf<T extends object>(value: T, drop: readonly string[] = []): Record<string, unknown> {
  const copy = { ...value } as Record<string, unknown>;
  for (const field of ['id', 'createdAt', 'updatedAt', ...drop]) delete copy[field];
  return copy;
}

/**
 * A kind of plain (unversioned) document: every document its repository lists, each item the
 * document without what storage sets (or what `content` makes of it), written back through the
 * feature's own PUT use case. Most kinds are one call of this.
 */
export function documentKind<D extends { id: string }>(
  kind: string,
  list: () => Promise<readonly D[]>,
  put: (id: string, content: Record<string, unknown>) => Promise<unknown>,
  content: (document: D) => Record<string, unknown> = (document) => contentOf(document)
): ConfigKind {
  return {
    kind,
    list: async () =>
      (await list()).map((document) => ({ kind, id: document.id, content: content(document) })),
    put: async ({ id, content }) => {
      await put(id, content);
    },
  };
}

export function mappingGroupKind(deps: ProviderConfigDeps): ConfigKind {
  return documentKind(
    'mapping-group',
    () => deps.settings.repository.listMappingGroups(),
    (id, content) => putMappingGroup(deps, id, content)
  );
}

/** A transformation's latest version (the one in force); earlier versions stay where they are. */
export function transformationKind(deps: TransformationDeps): ConfigKind {
  return documentKind(
    'transformation',
    () => deps.settings.repository.listTransformations(),
    (id, content) => putTransformation(deps, id, content),
    (t) => ({ ...contentOf(t, ['versions']), expression: latestVersion(t).expression })
  );
}

/** Instances without their secrets: an import keeps the target's secrets and names those still to set. */
export function providerInstanceKind(deps: ProviderConfigDeps): ConfigKind {
  return documentKind(
    'provider-instance',
    () => deps.settings.repository.listInstances(),
    (id, content) => putProviderInstance(deps, id, content),
    (instance) => contentOf(instance, ['secrets'])
  );
}

/** Sources; a location geocoded from the postal code is left out (the target geocodes it alike). */
export function sourceKind(deps: PutSourceDeps): ConfigKind {
  return documentKind(
    'source',
    () => deps.sources.list(),
    (id, content) => putSource(deps, id, content),
    (source) => {
      const { geocoded, ...point } = source.location;
      return geocoded ? contentOf(source, ['location']) : contentOf({ ...source, location: point });
    }
  );
}

export function sourceListKind(deps: PutSourceListDeps): ConfigKind {
  return documentKind(
    'source-list',
    () => deps.sourceLists.list(),
    (id, content) => putSourceList(deps, id, content)
  );
}

export function strategyKind(deps: PutStrategyDeps): ConfigKind {
  return {
    ...documentKind(
      'fulfillment-strategy',
      async () => (await deps.strategies.list()).map(({ strategy }) => strategy),
      (id, content) => putStrategy(deps, id, content)
    ),
    // The new default first: the previous default can only be unset by making another one the default.
    writeOrder: (a, b) => Number(b.content.isDefault === true) - Number(a.content.isDefault === true),
  };
}

/** User templates only: the built-in ones ship with the code. */
export function emailTemplateKind(deps: EmailTemplateDeps): ConfigKind {
  return documentKind(
    'email-template',
    () => deps.templates.list(),
    (id, content) => putEmailTemplate(deps, id, content)
  );
}

export function alertRuleKind(deps: AlertRuleDeps): ConfigKind {
  return documentKind(
    'alert-rule',
    () => listAlertRules(deps),
    (id, content) => putAlertRule(deps, id, content)
  );
}

/** The user's rows of the state framework (the out-of-box rows ship with the code): one item when there are any. */
export function stateFrameworkKind(
  store: StateFrameworkStore,
  validate: (input: unknown) => CustomStateFrameworkConfig
): ConfigKind {
  return documentKind(
    'state-framework',
    async () => {
      const { custom } = await store.read();
      return Object.keys(custom).length === 0 ? [] : [{ ...custom, id: 'state-framework' }];
    },
    (_id, content) => replaceStateFramework(store, validate, content, undefined)
  );
}

/**
 * The inventory measure configuration, when one is saved (without one the defaults are in force):
 * the custom physical measures by name (the built-in ones ship with the code) and every calculated one.
 */
export function inventoryMeasuresKind(deps: MeasureConfigurationDeps): ConfigKind {
  return documentKind(
    'inventory-measures',
    async () => {
      const found = await deps.store.get();
      if (found === undefined) return [];
      const { physical, calculated } = found.value;
      return [{ id: 'inventory-measures', physical: physical.map((name) => ({ name })), calculated }];
    },
    (_id, content) => replaceMeasureConfiguration(deps, content)
  );
}

/** One version of a published-or-draft document, as the bundle sees it. */
interface VersionView {
  content: Record<string, unknown>;
  status: 'draft' | 'published' | 'archived';
}

/** How one kind of versioned document is read, written and published through its use cases. */
interface VersionedUseCases {
  /** Every version of every document, oldest first per id. */
  all(): Promise<{ id: string; version: VersionView }[]>;
  versions(id: string): Promise<VersionView[]>;
  /** Creates the first draft or edits the latest version (a published one into a new draft). */
  write(id: string, content: Record<string, unknown>, exists: boolean): Promise<unknown>;
  publish(id: string): Promise<unknown>;
  unpublish(id: string): Promise<unknown>;
}

/**
 * A versioned kind (policies, journeys): the bundle holds the version in force with `published:
 * true`, or, when none is, the latest version with `published: false`. Drafts made on top of a
 * published version stay in their instance: a bundle moves what is in force. An import writes the
 * content as a user would (a new draft, or the draft replaced) and publishes or unpublishes it, so
 * the target keeps its own version history.
 */
function versionedKind(kind: string, useCases: VersionedUseCases): ConfigKind {
  return {
    kind,
    publishes: true,
    list: async () => {
      const byId = new Map<string, VersionView[]>();
      for (const { id, version } of await useCases.all()) {
        byId.set(id, [...(byId.get(id) ?? []), version]);
      }
      return [...byId].map(([id, versions]) => {
        const inForce = versions.find((v) => v.status === 'published');
        const shown = inForce ?? versions[versions.length - 1]!;
        return { kind, id, content: shown.content, published: inForce !== undefined };
      });
    },
    put: async ({ id, content, published }) => {
      const versions = await useCases.versions(id);
      const latest = versions[versions.length - 1];
      const inForce = versions.find((v) => v.status === 'published');
      if (published === true) {
        if (inForce !== undefined && sameContent(inForce.content, content)) return;
        if (latest === undefined || latest.status !== 'draft' || !sameContent(latest.content, content)) {
          await useCases.write(id, content, latest !== undefined);
        }
        await useCases.publish(id);
        return;
      }
      if (latest === undefined || !sameContent(latest.content, content)) {
        await useCases.write(id, content, latest !== undefined);
      }
      if (inForce !== undefined) await useCases.unpublish(id);
    },
  };
}

function policyView(policy: Policy): VersionView {
  return { content: contentOf(policy, ['version', 'status']), status: policy.status };
}

export function policyKind(deps: { policies: PolicyRepository }): ConfigKind {
  return versionedKind('policy', {
    all: async () =>
      (await deps.policies.all()).map(({ policy }) => ({ id: policy.id, version: policyView(policy) })),
    versions: async (id) => (await deps.policies.versions(id)).map(({ policy }) => policyView(policy)),
    write: (id, content, exists) =>
      exists ? putPolicy(deps, id, content) : createPolicy(deps, { ...content, id }),
    publish: (id) => publishLatestPolicy(deps, id),
    unpublish: (id) => unpublishPolicyVersion(deps, id),
  });
}

function journeyView(journey: Journey): VersionView {
  return { content: contentOf(journey, ['version', 'status']), status: journey.status };
}

export function journeyKind(deps: JourneyDeps): ConfigKind {
  return versionedKind('journey', {
    all: async () =>
      (await deps.journeys.all()).map(({ journey }) => ({ id: journey.id, version: journeyView(journey) })),
    versions: async (id) => (await deps.journeys.versions(id)).map(({ journey }) => journeyView(journey)),
    write: (id, content) => putJourney(deps, id, content),
    publish: (id) => publishLatestJourney(deps, id),
    unpublish: (id) => unpublishJourneyVersion(deps, id),
  });
}
