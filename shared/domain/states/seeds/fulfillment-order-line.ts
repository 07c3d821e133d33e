import type { EntitySeed } from './entity-seed';

const NEW = 'new';
const IN_PROGRESS = 'in progress';
const IN_FULFILLMENT = 'fulfillment in process';
const COMPLETED = 'completed';
const CANCELLED = 'cancelled';

/**
 * Fulfillment order line states: the fulfillment order's without `on hold` (a provider refuses the
 * whole fulfillment order, not one line). Warehouse events may skip `in progress` because some
 * providers report the first pick without acknowledging the order.
 */
export const FULFILLMENT_ORDER_LINE_SEED: EntitySeed = {
  entityType: 'fulfillmentOrderLine',
  initialState: NEW,
  states: [
    { name: NEW, reasons: [] },
    { name: IN_PROGRESS, reasons: ['sent to fulfillment provider'] },
    { name: IN_FULFILLMENT, reasons: ['picked', 'packed'] },
    { name: COMPLETED, reasons: ['shipped'] },
    { name: CANCELLED, reasons: ['cancelled'] },
  ],
  transitions: [
    {
      event: 'Send Fulfillment Order to Fulfillment Provider has Succeeded',
      from: [NEW],
      to: IN_PROGRESS,
      reason: 'sent to fulfillment provider',
    },
    {
      event: 'Fulfillment Order Line Picked',
      from: [NEW, IN_PROGRESS, IN_FULFILLMENT],
      to: IN_FULFILLMENT,
      reason: 'picked',
    },
    {
      event: 'Fulfillment Order Line Packed',
      from: [NEW, IN_PROGRESS, IN_FULFILLMENT],
      to: IN_FULFILLMENT,
      reason: 'packed',
    },
    {
      event: 'Fulfillment Order Line Shipped',
      from: [NEW, IN_PROGRESS, IN_FULFILLMENT, COMPLETED],
      to: COMPLETED,
      reason: 'shipped',
    },
    {
      event: 'Fulfillment Order Line Cancelled',
      from: [NEW, IN_PROGRESS, IN_FULFILLMENT, CANCELLED],
      to: CANCELLED,
      reason: 'cancelled',
    },
  ],
};
