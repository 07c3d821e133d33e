import type { EntitySeed } from './entity-seed';

const NEW = 'new';
const IN_PROGRESS = 'in progress';
const ON_HOLD = 'on hold';
const IN_FULFILLMENT = 'fulfillment in process';
const COMPLETED = 'completed';
const CANCELLED = 'cancelled';

/**
 * Fulfillment order states reuse the order's vocabulary (so a timeline reads the same for both) with
 * warehouse progress in the reasons: `in progress` once the provider has it, `fulfillment in
 * process` once the warehouse works on it, `completed` when shipped.
 */
export const FULFILLMENT_ORDER_SEED: EntitySeed = {
  entityType: 'fulfillmentOrder',
  initialState: NEW,
  states: [
    { name: NEW, reasons: [] },
    { name: IN_PROGRESS, reasons: ['sent to fulfillment provider'] },
    { name: ON_HOLD, reasons: ['rejected by fulfillment provider'] },
    { name: IN_FULFILLMENT, reasons: ['picked', 'packed'] },
    { name: COMPLETED, reasons: ['shipped'] },
    { name: CANCELLED, reasons: ['cancelled'] },
  ],
  transitions: [
    {
      event: 'Send Fulfillment Order to Fulfillment Provider has Succeeded',
      from: [NEW, ON_HOLD],
      to: IN_PROGRESS,
      reason: 'sent to fulfillment provider',
    },
    {
      event: 'Send Fulfillment Order to Fulfillment Provider has Failed',
      from: [NEW, ON_HOLD],
      to: ON_HOLD,
      reason: 'rejected by fulfillment provider',
    },
    {
      event: 'Fulfillment Order Picked',
      from: [IN_PROGRESS, IN_FULFILLMENT],
      to: IN_FULFILLMENT,
      reason: 'picked',
    },
    {
      event: 'Fulfillment Order Packed',
      from: [IN_PROGRESS, IN_FULFILLMENT],
      to: IN_FULFILLMENT,
      reason: 'packed',
    },
    {
      event: 'Fulfillment Order Shipped',
      from: [IN_PROGRESS, IN_FULFILLMENT, COMPLETED],
      to: COMPLETED,
      reason: 'shipped',
    },
    {
      event: 'Fulfillment Order Cancelled',
      from: [NEW, IN_PROGRESS, ON_HOLD, IN_FULFILLMENT, CANCELLED],
      to: CANCELLED,
      reason: 'cancelled',
    },
  ],
};
