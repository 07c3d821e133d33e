import type { EntitySeed } from './entity-seed';

const NEW = 'new';
const IN_PROGRESS = 'in progress';
const RECEIVED = 'received';
const INSPECTED = 'inspected';
const COMPLETED = 'completed';
const CANCELLED = 'cancelled';

/**
 * Return states: created, label issued, goods received, inspected, refunded. A return can be
 * cancelled only until the goods arrive; after that it ends with a refund. A refund may come before
 * the inspection (a store refunds on receipt): the inspection then only records the dispositions.
 */
export const RETURN_SEED: EntitySeed = {
  entityType: 'return',
  initialState: NEW,
  states: [
    { name: NEW, reasons: [] },
    { name: IN_PROGRESS, reasons: ['return label created'] },
    { name: RECEIVED, reasons: ['received'] },
    { name: INSPECTED, reasons: ['inspected'] },
    { name: COMPLETED, reasons: ['refunded'] },
    { name: CANCELLED, reasons: ['cancelled'] },
  ],
  transitions: [
    {
      event: 'Return Label Created',
      from: [NEW, IN_PROGRESS],
      to: IN_PROGRESS,
      reason: 'return label created',
    },
    { event: 'Return Received', from: [NEW, IN_PROGRESS], to: RECEIVED, reason: 'received' },
    { event: 'Return Inspected', from: [RECEIVED], to: INSPECTED, reason: 'inspected' },
    { event: 'Return Inspected', from: [COMPLETED], to: COMPLETED, reason: 'refunded' },
    { event: 'Return Refunded', from: [RECEIVED, INSPECTED, COMPLETED], to: COMPLETED, reason: 'refunded' },
    { event: 'Return Cancelled', from: [NEW, IN_PROGRESS, CANCELLED], to: CANCELLED, reason: 'cancelled' },
  ],
};
