import type { EntityType } from '../../events/entity-type';

/**
 * Compact authoring form of one entity type's out-of-box states: a transition lists its sources
 * together, and `out-of-box.ts` expands it into IOM-style rows (one per source state).
 */
export interface EntitySeed {
  entityType: EntityType;
  /** The state a new entity is created in, before any event moved it. */
  initialState: string;
  /** In timeline order; positions are 1, 2, 3, ... in this order. */
  states: readonly { name: string; reasons: readonly string[] }[];
  transitions: readonly { event: string; from: readonly string[]; to: string; reason: string }[];
}
