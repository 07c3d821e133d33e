import { PreconditionFailedError } from '../../domain/errors';
import type { Journey } from '../../domain/journeys/journey';
import { publishJourney } from '../../domain/journeys/publish-journey';
import { unpublishJourney } from '../../domain/journeys/unpublish-journey';
import type {
  JourneyPolicies,
  JourneyPolicyFacts,
  JourneyProviderInstanceFacts,
  JourneyProviderInstances,
} from '../../domain/journeys/validate-journey';
import type { JourneyWrite, StoredJourney } from '../../ports/journeys';
import type { PolicyRepository } from '../../ports/policies';
import { conditionMatches, type EntityTagCondition } from '../versioned-resources/entity-tags';
import { journeyIdOf, loadJourneyVersions } from './read-journeys';
import type { JourneyDeps } from './wiring';

/**
 * `POST /api/v1/journeys/{journeyId}/publish`: the latest version, which must be a draft (409
 * otherwise), is validated against the policies it references (400 listing each bad node) and
 * published; the previously published version is archived in the same atomic write, so exactly one
 * version is in force. Instances in flight keep the version they started with. If-Match applies to
 * the draft.
 */
export async function publishLatestJourney(
  deps: JourneyDeps,
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<StoredJourney> {
  const id = journeyIdOf(deps, rawId);
  const versions = await loadJourneyVersions(deps.journeys, id);
  const latest = versions[versions.length - 1]!;
  checkIfMatch(id, latest, ifMatch);
  const published = publishJourney(
    latest.journey,
    await policyFacts(deps.policies, latest.journey),
    await providerInstanceFacts(deps, latest.journey)
  );
  const writes: JourneyWrite[] = [{ journey: published, etag: latest.etag, createdAt: latest.createdAt }];
  for (const previous of versions) {
    if (previous.journey.status !== 'published') continue;
    writes.push({
      journey: unpublishJourney(previous.journey),
      etag: previous.etag,
      createdAt: previous.createdAt,
    });
  }
  const [stored] = await deps.journeys.write(writes);
  deps.publishedChanged();
  return stored!;
}

/** `POST /api/v1/journeys/{journeyId}/unpublish`: the published version is archived (409 when none is). */
export async function unpublishJourneyVersion(
  deps: JourneyDeps,
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<StoredJourney> {
  const id = journeyIdOf(deps, rawId);
  const versions = await loadJourneyVersions(deps.journeys, id);
  const target = versions.find((v) => v.journey.status === 'published') ?? versions[versions.length - 1]!;
  checkIfMatch(id, target, ifMatch);
  const [stored] = await deps.journeys.write([
    { journey: unpublishJourney(target.journey), etag: target.etag, createdAt: target.createdAt },
  ]);
  deps.publishedChanged();
  return stored!;
}

/** What publishing needs of each policy the journey references: the version in force, else the latest. */
async function policyFacts(policies: PolicyRepository, journey: Journey): Promise<JourneyPolicies> {
  const ids = new Set<string>();
  for (const node of journey.steps) {
    if (node.kind === 'step') {
      if (node.filterPolicyId !== undefined) ids.add(node.filterPolicyId);
      for (const policyId of node.executionPolicyIds ?? []) ids.add(policyId);
    } else if (node.kind === 'condition') ids.add(node.filterPolicyId);
    else if (node.kind === 'splitter') {
      for (const branch of node.branches)
        if (branch.filterPolicyId !== undefined) ids.add(branch.filterPolicyId);
    }
  }
  const facts = new Map<string, JourneyPolicyFacts>();
  await Promise.all(
    [...ids].map(async (policyId) => {
      const versions = await policies.versions(policyId);
      const chosen = versions.find((v) => v.policy.status === 'published') ?? versions[versions.length - 1];
      if (chosen === undefined) return;
      const { status, kind, entityType } = chosen.policy;
      facts.set(policyId, { status, kind, entityType });
    })
  );
  return facts;
}

/** What publishing needs of each provider instance the journey's steps name. */
async function providerInstanceFacts(deps: JourneyDeps, journey: Journey): Promise<JourneyProviderInstances> {
  const ids = new Set<string>();
  for (const node of journey.steps) {
    if (node.kind === 'step' && node.providerAction !== undefined) ids.add(node.providerAction.instanceId);
  }
  const facts = new Map<string, JourneyProviderInstanceFacts>();
  for (const id of ids) {
    const found = await deps.providerInstance(id);
    if (found !== undefined) facts.set(id, found);
  }
  return facts;
}

function checkIfMatch(id: string, version: StoredJourney, ifMatch: EntityTagCondition | undefined): void {
  if (ifMatch !== undefined && !conditionMatches(ifMatch, version.etag, 'strong')) {
    throw new PreconditionFailedError(
      `Journey ${id} version ${version.journey.version} has changed since the version in If-Match; read it again.`
    );
  }
}
