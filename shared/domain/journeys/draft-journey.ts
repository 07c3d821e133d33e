import { ValidationError, type ValidationIssue } from '../errors';
import { cloneJson } from '../policies/clone-json';
import { DEFAULT_START_EVENTS, type Journey, type JourneyNode, type JourneyType } from './journey';

/** A journey as a request gives it (its shape already checked by the JSON Schema). */
export interface JourneyDraftInput {
  readonly name: string;
  readonly type: JourneyType;
  readonly startEvent?: string;
  readonly steps: readonly Readonly<Record<string, unknown>>[];
}

const COMMON_FIELDS = ['kind', 'name', 'inputEvents'];
const FIELDS_BY_KIND: Readonly<Record<JourneyNode['kind'], readonly string[]>> = {
  step: [
    ...COMMON_FIELDS,
    'action',
    'filterPolicyId',
    'executionPolicyIds',
    'providerAction',
    'successEvent',
    'failureEvent',
    'resumeOnErrorEvent',
    'emailTemplateId',
    'wait',
  ],
  condition: [...COMMON_FIELDS, 'filterPolicyId', 'trueEvent', 'falseEvent'],
  splitter: [...COMMON_FIELDS, 'branches'],
  exit: COMMON_FIELDS,
};

const REQUIRED_BY_KIND: Readonly<Record<JourneyNode['kind'], readonly string[]>> = {
  step: ['action'],
  condition: ['filterPolicyId', 'trueEvent', 'falseEvent'],
  splitter: ['branches'],
  exit: [],
};

/**
 * The draft journey a request describes, at `version`: a node without `kind` is a step, a node
 * without `inputEvents` has none (publishing refuses it), an absent `startEvent` is the type's
 * default (DEFAULT_START_EVENTS). A field that belongs to another kind of node (an `action` on a
 * condition) is refused with a ValidationError at its path, so it cannot be silently ignored, and so
 * is a node missing a field its kind requires (a step's action, a condition's policy and events, a
 * splitter's branches).
 */
export function draftJourney(id: string, input: JourneyDraftInput, version: number): Journey {
  const issues: ValidationIssue[] = [];
  const steps = input.steps.map((raw, i) => {
    const kind = (raw.kind ?? 'step') as JourneyNode['kind'];
    for (const field of Object.keys(raw)) {
      if (!FIELDS_BY_KIND[kind].includes(field)) {
        issues.push({ path: `/steps/${i}/${field}`, message: `is not a field of a node of kind ${kind}` });
      }
    }
    for (const field of REQUIRED_BY_KIND[kind]) {
      if (raw[field] === undefined) issues.push({ path: `/steps/${i}/${field}`, message: 'is required' });
    }
    return {
      ...cloneJson(raw),
      kind,
      inputEvents: cloneJson(raw.inputEvents ?? []),
    } as unknown as JourneyNode;
  });
  if (issues.length > 0) throw new ValidationError('The journey is not valid.', issues);
  return {
    id,
    name: input.name,
    type: input.type,
    startEvent: input.startEvent ?? DEFAULT_START_EVENTS[input.type],
    steps,
    version,
    status: 'draft',
  };
}
