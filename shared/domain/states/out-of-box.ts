import { OUT_OF_BOX_EVENTS } from '../events/catalogue';
import type { EntityType } from '../events/entity-type';
import type { EntitySeed } from './seeds/entity-seed';
import { FULFILLMENT_ORDER_LINE_SEED } from './seeds/fulfillment-order-line';
import { FULFILLMENT_ORDER_SEED } from './seeds/fulfillment-order';
import { ORDER_LINE_SEED } from './seeds/order-line';
import { ORDER_SEED } from './seeds/order';
import { RETURN_SEED } from './seeds/return';
import type { StateDefinition, StateFrameworkConfig, StateReason, Transition } from './state-framework';

/** In entity-type order; the doc and the seeded `config` rows follow it. */
export const ENTITY_SEEDS: readonly EntitySeed[] = [
  ORDER_SEED,
  ORDER_LINE_SEED,
  FULFILLMENT_ORDER_SEED,
  FULFILLMENT_ORDER_LINE_SEED,
  RETURN_SEED,
];

export const OUT_OF_BOX_STATES: readonly StateDefinition[] = ENTITY_SEEDS.flatMap((seed) =>
  seed.states.map((state, index) => ({
    entityType: seed.entityType,
    name: state.name,
    readOnly: true,
    timelinePosition: index + 1,
  }))
);

export const OUT_OF_BOX_REASONS: readonly StateReason[] = ENTITY_SEEDS.flatMap((seed) =>
  seed.states.flatMap((state) =>
    state.reasons.map((name) => ({ entityType: seed.entityType, state: state.name, name, readOnly: true }))
  )
);

export const OUT_OF_BOX_TRANSITIONS: readonly Transition[] = ENTITY_SEEDS.flatMap((seed) =>
  seed.transitions.flatMap((transition) =>
    transition.from.map((sourceState) => ({
      entityType: seed.entityType,
      event: transition.event,
      sourceState,
      targetState: transition.to,
      targetReason: transition.reason,
      readOnly: true,
    }))
  )
);

/** The seeded configuration, switched on. */
export function outOfBoxConfig(): StateFrameworkConfig {
  return {
    enabled: true,
    events: OUT_OF_BOX_EVENTS,
    states: OUT_OF_BOX_STATES,
    reasons: OUT_OF_BOX_REASONS,
    transitions: OUT_OF_BOX_TRANSITIONS,
  };
}

/** The state a new entity of this type starts in (`new` for all five out-of-box types). */
export function initialStateOf(entityType: EntityType): string {
  const seed = ENTITY_SEEDS.find((s) => s.entityType === entityType);
  // Every EntityType has a seed (a test checks it); the fallback only satisfies the type checker.
  return seed?.initialState ?? 'new';
}
