import type { EntitySeed } from './entity-seed';

// Shorthands keep the table readable; the names are the stored values.
const NEW = 'new';
const IN_PROGRESS = 'in progress';
const ON_HOLD = 'on hold';
const IN_FULFILLMENT = 'fulfillment in process';
const COMPLETED = 'completed';
const CANCELLED = 'cancelled';

/**
 * Order header states. IOM's order states and reasons, with `on hold` re-enterable from itself so a
 * reprocessed order that fails again is not an error, and the terminal events (`Order Fulfilled`,
 * `Order Cancelled`) idempotent so a retried step or an aggregated event arriving after a direct one
 * is harmless.
 */
export const ORDER_SEED: EntitySeed = {
  entityType: 'order',
  initialState: NEW,
  states: [
    { name: NEW, reasons: [] },
    {
      name: IN_PROGRESS,
      reasons: ['order validation succeeded', 'backorder hold released', 'preorder hold released'],
    },
    {
      name: ON_HOLD,
      reasons: ['order validation failed', 'backorder hold', 'preorder hold', 'inventory not found'],
    },
    {
      name: IN_FULFILLMENT,
      reasons: [
        'inventory check successful',
        'ready to be fulfilled',
        'sent to fulfillment',
        'picked',
        'packed',
        'shipped',
      ],
    },
    { name: COMPLETED, reasons: ['fulfilled'] },
    { name: CANCELLED, reasons: ['cancelled'] },
  ],
  transitions: [
    {
      event: 'Validation of Order Header has Succeeded',
      from: [NEW, ON_HOLD],
      to: IN_PROGRESS,
      reason: 'order validation succeeded',
    },
    {
      event: 'Validation of Order Header has Failed',
      from: [NEW, IN_PROGRESS, ON_HOLD],
      to: ON_HOLD,
      reason: 'order validation failed',
    },
    {
      event: 'Fulfillment optimization request failed',
      from: [IN_PROGRESS, ON_HOLD],
      to: ON_HOLD,
      reason: 'inventory not found',
    },
    {
      event: 'On Hand Check Success',
      from: [IN_PROGRESS, ON_HOLD],
      to: IN_FULFILLMENT,
      reason: 'inventory check successful',
    },
    { event: 'On Hand Check Failed', from: [IN_PROGRESS, ON_HOLD], to: ON_HOLD, reason: 'backorder hold' },
    { event: 'Backorder Hold Applied', from: [IN_PROGRESS, ON_HOLD], to: ON_HOLD, reason: 'backorder hold' },
    { event: 'Backorder Hold Released', from: [ON_HOLD], to: IN_PROGRESS, reason: 'backorder hold released' },
    { event: 'Preorder Hold Applied', from: [IN_PROGRESS, ON_HOLD], to: ON_HOLD, reason: 'preorder hold' },
    { event: 'Preorder Hold Released', from: [ON_HOLD], to: IN_PROGRESS, reason: 'preorder hold released' },
    {
      event: 'Order Header Ready to be Fulfilled',
      from: [IN_PROGRESS, ON_HOLD],
      to: IN_FULFILLMENT,
      reason: 'ready to be fulfilled',
    },
    {
      event: 'Send Order to Fulfillment Provider has Succeeded',
      from: [IN_PROGRESS, IN_FULFILLMENT],
      to: IN_FULFILLMENT,
      reason: 'sent to fulfillment',
    },
    { event: 'Order Picked', from: [IN_FULFILLMENT], to: IN_FULFILLMENT, reason: 'picked' },
    { event: 'Order Packed', from: [IN_FULFILLMENT], to: IN_FULFILLMENT, reason: 'packed' },
    { event: 'Order Shipped', from: [IN_FULFILLMENT], to: IN_FULFILLMENT, reason: 'shipped' },
    { event: 'Order Fulfilled', from: [IN_FULFILLMENT, COMPLETED], to: COMPLETED, reason: 'fulfilled' },
    {
      event: 'Order Cancelled',
      from: [NEW, IN_PROGRESS, ON_HOLD, IN_FULFILLMENT, CANCELLED],
      to: CANCELLED,
      reason: 'cancelled',
    },
  ],
};
