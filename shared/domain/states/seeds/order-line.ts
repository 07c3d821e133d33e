import type { EntitySeed } from './entity-seed';

const NEW = 'new';
const ON_HOLD = 'on hold';
const IN_PROGRESS = 'in progress';
const IN_FULFILLMENT = 'fulfillment in process';
const COMPLETED = 'completed';
const CANCELLED = 'cancelled';

/**
 * Order line states, in IOM's line order (new → on hold → in progress → fulfillment in process). A
 * new line may go straight on preorder hold; a released hold returns the line to `in progress` so
 * the journey sources it again.
 */
export const ORDER_LINE_SEED: EntitySeed = {
  entityType: 'orderLine',
  initialState: NEW,
  states: [
    { name: NEW, reasons: [] },
    { name: ON_HOLD, reasons: ['order line validation failed', 'backorder hold', 'preorder hold'] },
    {
      name: IN_PROGRESS,
      reasons: ['order line validation succeeded', 'backorder hold released', 'preorder hold released'],
    },
    { name: IN_FULFILLMENT, reasons: ['inventory check successful', 'sent to fulfillment'] },
    { name: COMPLETED, reasons: ['fulfilled'] },
    { name: CANCELLED, reasons: ['cancelled'] },
  ],
  transitions: [
    {
      event: 'Validation of Order Line has Succeeded',
      from: [NEW, ON_HOLD],
      to: IN_PROGRESS,
      reason: 'order line validation succeeded',
    },
    {
      event: 'Validation of Order Line has Failed',
      from: [NEW, IN_PROGRESS, ON_HOLD],
      to: ON_HOLD,
      reason: 'order line validation failed',
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
    {
      event: 'Preorder Hold Applied',
      from: [NEW, IN_PROGRESS, ON_HOLD],
      to: ON_HOLD,
      reason: 'preorder hold',
    },
    { event: 'Preorder Hold Released', from: [ON_HOLD], to: IN_PROGRESS, reason: 'preorder hold released' },
    {
      event: 'Order Line Sent to Fulfillment',
      from: [IN_PROGRESS, IN_FULFILLMENT],
      to: IN_FULFILLMENT,
      reason: 'sent to fulfillment',
    },
    { event: 'Order Line Fulfilled', from: [IN_FULFILLMENT, COMPLETED], to: COMPLETED, reason: 'fulfilled' },
    {
      event: 'Order Line Cancelled',
      from: [NEW, ON_HOLD, IN_PROGRESS, IN_FULFILLMENT, CANCELLED],
      to: CANCELLED,
      reason: 'cancelled',
    },
  ],
};
