import { ValidationError, type ValidationIssue } from '../errors';
import { OUT_OF_BOX_EVENTS } from '../events/catalogue';
import type { PolicyEntityType, PolicyKind } from '../policies';
import {
  JOURNEY_ACTIONS,
  JOURNEY_ACTIONS_BY_TYPE,
  JOURNEY_ENTITY_TYPES,
  eventsRaisedBy,
  type Journey,
  type JourneyNode,
  type StepProviderAction,
} from './journey';

/** What publishing needs to know of a referenced policy, given as plain data by the use case. */
export interface JourneyPolicyFacts {
  /** `published` when a version is in force; otherwise the latest version's status. */
  readonly status: 'draft' | 'published' | 'archived';
  readonly kind: PolicyKind;
  readonly entityType: PolicyEntityType;
}

/** Policy facts by policy id; a referenced id that is absent does not exist. */
export type JourneyPolicies = ReadonlyMap<string, JourneyPolicyFacts>;

/** What publishing needs to know of a provider instance a step's provider action names. */
export interface JourneyProviderInstanceFacts {
  readonly active: boolean;
  /** The provider's name, for messages. */
  readonly provider: string;
  /** The actions its definition declares (and its plug-in runs). */
  readonly actions: readonly string[];
}

/** Provider instance facts by instance id; a referenced id that is absent does not exist. */
export type JourneyProviderInstances = ReadonlyMap<string, JourneyProviderInstanceFacts>;

/**
 * The events the system itself raises on an instance's entities: the business event catalogue's
 * events of the journey type's entity types (JOURNEY_ENTITY_TYPES: an order journey hears order and
 * order line events). They come from outside the graph — a hold released by its timer, a shipment
 * posted by a warehouse — so a node may listen to them without any node raising them.
 */
export function systemEventsOf(type: Journey['type']): ReadonlySet<string> {
  const types: readonly string[] = JOURNEY_ENTITY_TYPES[type];
  return new Set(OUT_OF_BOX_EVENTS.filter((e) => types.includes(e.entityType)).map((e) => e.name));
}

/**
 * Every reason a journey cannot be published, each at the path of the node it is about
 * (`/steps/3`, or a field below it) with a message starting with the node's name in quotes:
 *
 * - a journey where no node listens to its start event (at `/startEvent`);
 * - a name used by an earlier node; an action unknown, or not fitting the journey type
 *   (JOURNEY_ACTIONS_BY_TYPE); a `sendEmail` step without `emailTemplateId`; a wait shorter than 1 s;
 * - a node without input events, or with an input event nobody raises: not the journey's
 *   `startEvent`, not raised by another node, not a system event (systemEventsOf);
 * - an unreachable node. Reachability rule: the events that can occur on an instance are the start
 *   event, every system event (they can happen at any time while the instance lives) and the events
 *   raised by reachable nodes; a node is reachable when one of its input events can occur. So a node
 *   is unreachable when it listens only to events raised by unreachable nodes — a cycle cut off from
 *   the start, or a chain hanging off one;
 * - a referenced policy (step filter and execution policies, condition filter, splitter branch
 *   filters) that does not exist, has no published version, is of the wrong kind (filter where a
 *   filter is expected, execution for execution policies) or whose entity type does not fit the
 *   journey type (JOURNEY_ENTITY_TYPES; return journeys may reference none, as no policy is about a
 *   return yet);
 * - a step's provider action naming an instance that does not exist or is not active, or an action
 *   its provider does not have.
 */
export function journeyIssues(
  journey: Journey,
  policies: JourneyPolicies,
  providerInstances: JourneyProviderInstances = new Map()
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const systemEvents = systemEventsOf(journey.type);
  const firstByName = new Map<string, number>();
  const withUnknownInputs = new Set<number>();
  journey.steps.forEach((node, i) => {
    const at = `/steps/${i}`;
    const fail = (path: string, message: string) =>
      issues.push({ path: `${at}${path}`, message: `"${node.name}": ${message}` });
    const first = firstByName.get(node.name);
    if (first === undefined) firstByName.set(node.name, i);
    else fail('/name', `the name is used by /steps/${first} too; names must be unique`);

    if (node.inputEvents.length === 0) fail('/inputEvents', 'has no input events, so it never runs');
    node.inputEvents.forEach((event, e) => {
      if (event === journey.startEvent || systemEvents.has(event)) return;
      const raisedElsewhere = journey.steps.some(
        (other, j) => j !== i && eventsRaisedBy(other).includes(event)
      );
      if (!raisedElsewhere) {
        withUnknownInputs.add(i);
        fail(
          `/inputEvents/${e}`,
          `input event "${event}" is raised by no other node, is not the start event "${journey.startEvent}" and is not an event the system raises on ${journey.type} entities`
        );
      }
    });
    checkNodeFields(node, journey, fail);
    for (const ref of policyReferences(node)) {
      const problem = policyProblem(ref, journey.type, policies);
      if (problem !== undefined) fail(ref.path, problem);
    }
    if (node.kind === 'step' && node.providerAction !== undefined) {
      const problem = providerActionProblem(node.providerAction, providerInstances);
      if (problem !== undefined) fail('/providerAction', problem);
    }
  });
  // A node already reported for an input event nobody raises is not reported again as unreachable.
  for (const i of unreachableNodes(journey, systemEvents).filter((n) => !withUnknownInputs.has(n))) {
    const node = journey.steps[i]!;
    issues.push({
      path: `/steps/${i}`,
      message: `"${node.name}": is unreachable: none of its input events can occur after the start event "${journey.startEvent}"`,
    });
  }
  if (!journey.steps.some((node) => node.inputEvents.includes(journey.startEvent))) {
    issues.push({
      path: '/startEvent',
      message: `no node listens to the start event "${journey.startEvent}", so the journey does nothing`,
    });
  }
  return issues.sort((a, b) => stepIndex(a.path) - stepIndex(b.path));
}

/** journeyIssues, thrown as one ValidationError listing them all; the journey itself when there is none. */
export function validateJourney(
  journey: Journey,
  policies: JourneyPolicies,
  providerInstances: JourneyProviderInstances = new Map()
): Journey {
  const issues = journeyIssues(journey, policies, providerInstances);
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ValidationError(
      `journey ${journey.id} cannot be published: ${issues[0]!.message}${more}`,
      issues
    );
  }
  return journey;
}

type Fail = (path: string, message: string) => void;

function checkNodeFields(node: JourneyNode, journey: Journey, fail: Fail): void {
  if (node.kind !== 'step') return;
  if (!(JOURNEY_ACTIONS as readonly string[]).includes(node.action)) {
    fail('/action', `unknown action "${node.action}"; expected one of ${JOURNEY_ACTIONS.join(', ')}`);
  } else if (!JOURNEY_ACTIONS_BY_TYPE[journey.type].includes(node.action)) {
    fail(
      '/action',
      `action ${node.action} does not run in a ${journey.type} journey; it takes one of ${JOURNEY_ACTIONS_BY_TYPE[journey.type].join(', ')}`
    );
  }
  if (node.action === 'sendEmail' && (node.emailTemplateId ?? '') === '') {
    fail('/emailTemplateId', 'a sendEmail step needs emailTemplateId');
  }
  if (node.wait !== undefined && !(node.wait.timeoutSeconds >= 1)) {
    fail('/wait/timeoutSeconds', `the wait's timeout must be at least 1 second`);
  }
}

interface PolicyReference {
  path: string;
  id: string;
  kind: PolicyKind;
}

function policyReferences(node: JourneyNode): PolicyReference[] {
  switch (node.kind) {
    case 'step':
      return [
        ...(node.filterPolicyId === undefined
          ? []
          : [{ path: '/filterPolicyId', id: node.filterPolicyId, kind: 'filter' as const }]),
        ...(node.executionPolicyIds ?? []).map((id, p) => ({
          path: `/executionPolicyIds/${p}`,
          id,
          kind: 'execution' as const,
        })),
      ];
    case 'condition':
      return [{ path: '/filterPolicyId', id: node.filterPolicyId, kind: 'filter' }];
    case 'splitter':
      return node.branches.flatMap((branch, b) =>
        branch.filterPolicyId === undefined
          ? []
          : [{ path: `/branches/${b}/filterPolicyId`, id: branch.filterPolicyId, kind: 'filter' as const }]
      );
    case 'exit':
      return [];
  }
}

function policyProblem(
  ref: PolicyReference,
  type: Journey['type'],
  policies: JourneyPolicies
): string | undefined {
  const facts = policies.get(ref.id);
  if (facts === undefined) return `policy ${ref.id} does not exist`;
  if (facts.status !== 'published') return `policy ${ref.id} is not published (it is ${facts.status})`;
  if (facts.kind !== ref.kind)
    return `policy ${ref.id} is a ${facts.kind} policy; a ${ref.kind} policy is expected here`;
  const fits: readonly string[] = JOURNEY_ENTITY_TYPES[type];
  if (type === 'return')
    return `policy ${ref.id}: a return journey cannot reference policies (none is about returns yet)`;
  if (!fits.includes(facts.entityType)) {
    return `policy ${ref.id} is about ${facts.entityType}; a ${type} journey takes policies about ${fits.join(' or ')}`;
  }
  return undefined;
}

function providerActionProblem(
  { instanceId, action }: StepProviderAction,
  instances: JourneyProviderInstances
): string | undefined {
  const facts = instances.get(instanceId);
  if (facts === undefined) return `provider instance ${instanceId} does not exist`;
  if (!facts.active) return `provider instance ${instanceId} is not active`;
  if (!facts.actions.includes(action)) {
    const has = facts.actions.length > 0 ? `it has ${facts.actions.join(', ')}` : 'it has none';
    return `provider instance ${instanceId} (${facts.provider}) has no action ${action}; ${has}`;
  }
  return undefined;
}

/** Indexes of the nodes no event that can occur ever runs (see journeyIssues for the rule). */
function unreachableNodes(journey: Journey, systemEvents: ReadonlySet<string>): number[] {
  const occurring = new Set<string>([journey.startEvent, ...systemEvents]);
  const reached = new Set<number>();
  for (let grew = true; grew;) {
    grew = false;
    journey.steps.forEach((node, i) => {
      if (reached.has(i) || !node.inputEvents.some((event) => occurring.has(event))) return;
      reached.add(i);
      grew = true;
      for (const event of eventsRaisedBy(node)) occurring.add(event);
    });
  }
  // A node without input events is reported as such, not also as unreachable.
  return journey.steps.flatMap((node, i) => (reached.has(i) || node.inputEvents.length === 0 ? [] : [i]));
}

function stepIndex(path: string): number {
  return Number(/^\/steps\/(\d+)/.exec(path)?.[1] ?? -1);
}
