import { ValidationError, type ValidationIssue } from '../errors';
import type { BusinessEventDefinition } from '../events/business-event';
import { byCloseness, quoteList } from '../events/closest-matches';
import { isEntityType, type EntityType } from '../events/entity-type';
import { unknownEntityTypeMessage, unknownEventMessage } from '../events/find-event';
import { describeRow, eventKey, reasonKey, refKey, stateKey, transitionKey, type RowRef } from './row-keys';
import type { StateDefinition, StateFrameworkConfig, StateReason, Transition } from './state-framework';

/** User rows as stored in the `config` container or sent to the API; checked, never trusted. */
export interface CustomEventRow {
  entityType: string;
  name: string;
  description?: string;
}

export interface CustomStateRow {
  entityType: string;
  name: string;
  /** May be fractional to slot a state between two out-of-box ones (e.g. 2.5). */
  timelinePosition: number;
  readOnly?: boolean;
}

export interface CustomReasonRow {
  entityType: string;
  state: string;
  name: string;
  readOnly?: boolean;
}

export interface CustomTransitionRow {
  entityType: string;
  event: string;
  sourceState: string;
  targetState: string;
  targetReason?: string | null;
  readOnly?: boolean;
}

export interface CustomStateFrameworkConfig {
  enabled?: boolean;
  /** Custom business events (e.g. ones a custom provider raises) that custom transitions may use. */
  events?: readonly CustomEventRow[];
  states?: readonly CustomStateRow[];
  reasons?: readonly CustomReasonRow[];
  transitions?: readonly CustomTransitionRow[];
  /** Rows to leave out. Naming an out-of-box row is an error: they are read-only. */
  deleted?: readonly RowRef[];
}

/**
 * The out-of-box configuration plus the user's rows. Every problem is collected and thrown as one
 * ValidationError whose paths point into `custom` (e.g. `/transitions/2/targetState`):
 * - out-of-box rows cannot be changed or deleted; a custom row equal to one is accepted and
 *   ignored, so exported configuration tables can be imported again (ALM);
 * - entity types, and the events, states and reasons a row refers to, must exist (names match
 *   exactly; messages list the known ones, closest first);
 * - only out-of-box rows are read-only, and no two rows may share an identity (see row-keys.ts).
 */
export function mergeConfig(
  outOfBox: StateFrameworkConfig,
  custom: CustomStateFrameworkConfig
): StateFrameworkConfig {
  const issues: ValidationIssue[] = [];
  const deletes = new PendingDeletes(outOfBox, custom.deleted ?? [], issues);
  if (custom.enabled !== undefined && typeof custom.enabled !== 'boolean') {
    issues.push({ path: '/enabled', message: 'must be true or false' });
  }

  const events = mergeRows<CustomEventRow, BusinessEventDefinition>({
    section: 'events',
    kind: 'event',
    base: outOfBox.events,
    rows: custom.events,
    key: eventKey,
    describe: (row) => describeRow({ kind: 'event', ...row }),
    sameAs: (row, base) =>
      row.name === base.name && (row.description ?? base.description) === base.description,
    check: (row, path) => checkEvent(row, path, issues),
    deletes,
    issues,
  });

  const states = mergeRows<CustomStateRow, StateDefinition>({
    section: 'states',
    kind: 'state',
    base: outOfBox.states,
    rows: custom.states,
    key: stateKey,
    describe: (row) => describeRow({ kind: 'state', ...row }),
    sameAs: (row, base) => row.name === base.name && row.timelinePosition === base.timelinePosition,
    check: (row, path) => checkState(row, path, issues),
    deletes,
    issues,
  });

  const reasons = mergeRows<CustomReasonRow, StateReason>({
    section: 'reasons',
    kind: 'reason',
    base: outOfBox.reasons,
    rows: custom.reasons,
    key: reasonKey,
    describe: (row) => describeRow({ kind: 'reason', ...row }),
    sameAs: (row, base) => row.state === base.state && row.name === base.name,
    check: (row, path) => checkReason(row, path, states, issues),
    deletes,
    issues,
  });

  const transitions = mergeRows<CustomTransitionRow, Transition>({
    section: 'transitions',
    kind: 'transition',
    base: outOfBox.transitions,
    rows: custom.transitions,
    key: transitionKey,
    describe: (row) => describeRow({ kind: 'transition', ...row }),
    sameAs: (row, base) =>
      row.targetState === base.targetState && (row.targetReason ?? null) === base.targetReason,
    check: (row, path) => checkTransition(row, path, { events, states, reasons }, issues),
    deletes,
    issues,
  });

  deletes.reportUnused();
  if (issues.length > 0) {
    throw new ValidationError(
      `The custom state framework configuration has ${issues.length} problem(s).`,
      issues
    );
  }
  return { enabled: custom.enabled ?? outOfBox.enabled, events, states, reasons, transitions };
}

interface MergeSpec<TIn, TOut> {
  section: string;
  kind: RowRef['kind'];
  base: readonly TOut[];
  rows: readonly TIn[] | undefined;
  key: (row: TOut) => string;
  describe: (row: TOut) => string;
  sameAs: (row: TIn, base: TOut) => boolean;
  /** Pushes the row's problems; returns the normalized row, or undefined if it cannot be identified. */
  check: (row: TIn, path: string, issues: ValidationIssue[]) => TOut | undefined;
  deletes: PendingDeletes;
  issues: ValidationIssue[];
}

function mergeRows<TIn extends object, TOut>(spec: MergeSpec<TIn, TOut>): TOut[] {
  const baseByKey = new Map(spec.base.map((row) => [spec.key(row), row]));
  const customByKey = new Map<string, number>();
  const merged = [...spec.base];
  (spec.rows ?? []).forEach((row, index) => {
    const path = `/${spec.section}/${index}`;
    if (typeof row !== 'object' || row === null) {
      spec.issues.push({ path, message: 'must be an object' });
      return;
    }
    // The row's own problems are held back until we know it is neither deleted nor an out-of-box copy.
    const rowIssues: ValidationIssue[] = [];
    const normalized = spec.check(row, path, rowIssues);
    if (normalized === undefined) {
      spec.issues.push(...rowIssues);
      return;
    }
    const key = spec.key(normalized);
    if (spec.deletes.take(spec.kind, key)) return;
    const base = baseByKey.get(key);
    if (base !== undefined) {
      if (!spec.sameAs(row, base)) {
        spec.issues.push({
          path,
          message: `conflicts with the read-only out-of-box ${spec.describe(base)}; out-of-box rows cannot be changed`,
        });
      }
      return;
    }
    spec.issues.push(...rowIssues);
    if ((row as { readOnly?: unknown }).readOnly === true) {
      spec.issues.push({ path: `${path}/readOnly`, message: 'only out-of-box rows are read-only' });
    }
    const first = customByKey.get(key);
    if (first !== undefined) {
      spec.issues.push({ path, message: `repeats /${spec.section}/${first} (${spec.describe(normalized)})` });
      return;
    }
    customByKey.set(key, index);
    merged.push(normalized);
  });
  return merged;
}

function checkEvent(
  row: CustomEventRow,
  path: string,
  issues: ValidationIssue[]
): BusinessEventDefinition | undefined {
  const entityType = row.entityType;
  const typeOk = checkEntityType(entityType, path, issues);
  const nameOk = checkName(row.name, `${path}/name`, issues);
  if (nameOk && !/[a-z0-9]/i.test(row.name)) {
    issues.push({ path: `${path}/name`, message: 'must contain a letter or a digit' });
  }
  if (row.description !== undefined && typeof row.description !== 'string') {
    issues.push({ path: `${path}/description`, message: 'must be a string' });
  }
  if (!typeOk || !nameOk) return undefined;
  return { entityType, name: row.name, description: row.description ?? '' };
}

function checkState(
  row: CustomStateRow,
  path: string,
  issues: ValidationIssue[]
): StateDefinition | undefined {
  const entityType = row.entityType;
  const typeOk = checkEntityType(entityType, path, issues);
  const nameOk = checkName(row.name, `${path}/name`, issues);
  if (
    typeof row.timelinePosition !== 'number' ||
    !Number.isFinite(row.timelinePosition) ||
    row.timelinePosition < 0
  ) {
    issues.push({ path: `${path}/timelinePosition`, message: 'must be a finite number, 0 or more' });
  }
  if (!typeOk || !nameOk) return undefined;
  return { entityType, name: row.name, readOnly: false, timelinePosition: row.timelinePosition };
}

function checkReason(
  row: CustomReasonRow,
  path: string,
  states: readonly StateDefinition[],
  issues: ValidationIssue[]
): StateReason | undefined {
  const entityType = row.entityType;
  const typeOk = checkEntityType(entityType, path, issues);
  const stateOk = checkName(row.state, `${path}/state`, issues);
  const nameOk = checkName(row.name, `${path}/name`, issues);
  if (!typeOk || !stateOk || !nameOk) return undefined;
  checkStateRef(row.state, entityType, states, `${path}/state`, issues);
  return { entityType, state: row.state, name: row.name, readOnly: false };
}

function checkTransition(
  row: CustomTransitionRow,
  path: string,
  known: {
    events: readonly BusinessEventDefinition[];
    states: readonly StateDefinition[];
    reasons: readonly StateReason[];
  },
  issues: ValidationIssue[]
): Transition | undefined {
  const entityType = row.entityType;
  const typeOk = checkEntityType(entityType, path, issues);
  const eventOk = checkName(row.event, `${path}/event`, issues);
  const sourceOk = checkName(row.sourceState, `${path}/sourceState`, issues);
  const targetOk = checkName(row.targetState, `${path}/targetState`, issues);
  const reason = row.targetReason ?? null;
  const reasonOk = reason === null || checkName(reason, `${path}/targetReason`, issues);
  if (!typeOk || !eventOk || !sourceOk) return undefined;
  if (!known.events.some((e) => e.entityType === entityType && e.name === row.event)) {
    issues.push({ path: `${path}/event`, message: unknownEventMessage(row.event, entityType, known.events) });
  }
  checkStateRef(row.sourceState, entityType, known.states, `${path}/sourceState`, issues);
  const targetKnown =
    targetOk && checkStateRef(row.targetState, entityType, known.states, `${path}/targetState`, issues);
  if (targetKnown && reasonOk && reason !== null) {
    const candidates = known.reasons
      .filter((r) => r.entityType === entityType && r.state === row.targetState)
      .map((r) => r.name);
    if (!candidates.includes(reason)) {
      issues.push({
        path: `${path}/targetReason`,
        message:
          candidates.length === 0
            ? `unknown reason '${reason}': ${entityType} state '${row.targetState}' has no reasons`
            : `unknown reason '${reason}' for ${entityType} state '${row.targetState}'; known reasons (closest first): ${quoteList(byCloseness(reason, candidates))}`,
      });
    }
  }
  return {
    entityType,
    event: row.event,
    sourceState: row.sourceState,
    targetState: row.targetState,
    targetReason: reason,
    readOnly: false,
  };
}

function checkEntityType(value: unknown, path: string, issues: ValidationIssue[]): value is EntityType {
  if (isEntityType(value)) return true;
  issues.push({ path: `${path}/entityType`, message: unknownEntityTypeMessage(value) });
  return false;
}

/** Names are identifiers users type: non-empty, no stray spaces around them, and short. */
function checkName(value: unknown, path: string, issues: ValidationIssue[]): value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ path, message: 'must be a non-empty string' });
    return false;
  }
  if (value !== value.trim()) {
    issues.push({ path, message: 'must not start or end with spaces' });
    return false;
  }
  if (value.length > 100) {
    issues.push({ path, message: 'must be at most 100 characters' });
    return false;
  }
  return true;
}

function checkStateRef(
  name: string,
  entityType: string,
  states: readonly StateDefinition[],
  path: string,
  issues: ValidationIssue[]
): boolean {
  const candidates = states.filter((s) => s.entityType === entityType).map((s) => s.name);
  if (candidates.includes(name)) return true;
  issues.push({
    path,
    message: `unknown state '${name}' for ${entityType}; known states (closest first): ${quoteList(byCloseness(name, candidates))}`,
  });
  return false;
}

/**
 * Deletions requested by the custom configuration. Out-of-box rows are refused up front; a deletion
 * of a custom row drops that row from the merge; one that matches nothing is reported at the end.
 */
class PendingDeletes {
  private readonly pending = new Map<string, number>();
  private readonly used = new Set<string>();

  constructor(
    outOfBox: StateFrameworkConfig,
    refs: readonly RowRef[],
    private readonly issues: ValidationIssue[]
  ) {
    const protectedKeys = new Set([
      ...outOfBox.events.map((row) => `event:${eventKey(row)}`),
      ...outOfBox.states.map((row) => `state:${stateKey(row)}`),
      ...outOfBox.reasons.map((row) => `reason:${reasonKey(row)}`),
      ...outOfBox.transitions.map((row) => `transition:${transitionKey(row)}`),
    ]);
    refs.forEach((ref, index) => {
      const path = `/deleted/${index}`;
      if (!isRowRef(ref)) {
        issues.push({
          path,
          message: "must name a row: kind 'event', 'state', 'reason' or 'transition' and its key fields",
        });
        return;
      }
      const key = `${ref.kind}:${refKey(ref)}`;
      if (protectedKeys.has(key)) {
        issues.push({
          path,
          message: `the out-of-box ${describeRow(ref)} is read-only; it cannot be deleted`,
        });
      } else {
        this.pending.set(key, index);
      }
    });
  }

  /** True (and the deletion is used) when the row with this key is to be left out. */
  take(kind: RowRef['kind'], key: string): boolean {
    const full = `${kind}:${key}`;
    if (!this.pending.has(full)) return false;
    this.used.add(full);
    return true;
  }

  reportUnused(): void {
    for (const [key, index] of this.pending) {
      if (!this.used.has(key)) {
        this.issues.push({ path: `/deleted/${index}`, message: 'names no custom row' });
      }
    }
  }
}

function isRowRef(value: unknown): value is RowRef {
  if (typeof value !== 'object' || value === null) return false;
  const ref = value as Record<string, unknown>;
  const strings = (...fields: string[]): boolean => fields.every((field) => typeof ref[field] === 'string');
  switch (ref.kind) {
    case 'event':
    case 'state':
      return strings('entityType', 'name');
    case 'reason':
      return strings('entityType', 'state', 'name');
    case 'transition':
      return strings('entityType', 'event', 'sourceState');
    default:
      return false;
  }
}
