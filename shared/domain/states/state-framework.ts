import type { BusinessEventDefinition } from '../events/business-event';
import type { EntityType } from '../events/entity-type';

/**
 * The state framework's tables (docs/state-framework.md, modelled on IOM's): state definitions, state reasons and
 * transitions, plus the business event catalogue transitions refer to. Rows are plain data so the
 * same shapes are stored in the `config` container and seeded from code.
 */

export interface StateDefinition {
  entityType: EntityType;
  /** Lower case, e.g. `fulfillment in process`; what entity documents store in `state`. */
  name: string;
  /** Out-of-box rows are read-only: the product relies on them (IOM does the same). */
  readOnly: boolean;
  /** Order of the state on the entity's timeline / progress bar; smaller comes first. */
  timelinePosition: number;
}

/** Why an entity is in a state; belongs to one state of one entity type. */
export interface StateReason {
  entityType: EntityType;
  state: string;
  name: string;
  readOnly: boolean;
}

/**
 * One allowed move: raising `event` on an entity of `entityType` in `sourceState` sets `targetState`
 * and `targetReason`. One row per source state, as in IOM, so a user can add a source to an
 * out-of-box event without touching the out-of-box rows.
 */
export interface Transition {
  entityType: EntityType;
  event: string;
  sourceState: string;
  targetState: string;
  /** Null when the transition sets no reason (custom rows may leave it out). */
  targetReason: string | null;
  readOnly: boolean;
}

export interface StateFrameworkConfig {
  /** When false, business events are still raised and recorded, but never change state. */
  enabled: boolean;
  events: readonly BusinessEventDefinition[];
  states: readonly StateDefinition[];
  reasons: readonly StateReason[];
  transitions: readonly Transition[];
}
