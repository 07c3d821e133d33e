import { kebabEventName } from '../events/cloud-event';

/**
 * Identity of each kind of row. State and reason names compare case-insensitively so a custom
 * `On Hold` cannot shadow the out-of-box `on hold`; event names compare by their CloudEvents form so
 * two events can never publish under the same `type`. Transitions are keyed by what selects them.
 */
export function eventKey(row: { entityType: string; name: string }): string {
  return `${row.entityType}|${kebabEventName(row.name)}`;
}

export function stateKey(row: { entityType: string; name: string }): string {
  return `${row.entityType}|${normalizeName(row.name)}`;
}

export function reasonKey(row: { entityType: string; state: string; name: string }): string {
  return `${row.entityType}|${normalizeName(row.state)}|${normalizeName(row.name)}`;
}

export function transitionKey(row: { entityType: string; event: string; sourceState: string }): string {
  return `${row.entityType}|${row.event}|${row.sourceState}`;
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

/** A row to delete, as the API names it. */
export type RowRef =
  | { kind: 'event'; entityType: string; name: string }
  | { kind: 'state'; entityType: string; name: string }
  | { kind: 'reason'; entityType: string; state: string; name: string }
  | { kind: 'transition'; entityType: string; event: string; sourceState: string };

export function describeRow(ref: RowRef): string {
  switch (ref.kind) {
    case 'event':
      return `business event '${ref.name}' of ${ref.entityType}`;
    case 'state':
      return `state '${ref.name}' of ${ref.entityType}`;
    case 'reason':
      return `reason '${ref.name}' of ${ref.entityType} state '${ref.state}'`;
    case 'transition':
      return `transition of ${ref.entityType} on '${ref.event}' from '${ref.sourceState}'`;
  }
}

export function refKey(ref: RowRef): string {
  switch (ref.kind) {
    case 'event':
      return eventKey(ref);
    case 'state':
      return stateKey(ref);
    case 'reason':
      return reasonKey(ref);
    case 'transition':
      return transitionKey(ref);
  }
}
