import { ValidationError } from '../../domain/errors';
import type { ActionSubject } from '../../ports/provider-plugins';

/** A subject an order-or-FO action takes. */
export type OrderOrFulfillmentOrderSubject = Exclude<ActionSubject, { type: 'invoice' }>;

/** `subject` when it is an order or a fulfillment order; an invoice is refused with the step to fix. */
export function orderOrFulfillmentOrderOf(
  subject: ActionSubject,
  action: string
): OrderOrFulfillmentOrderSubject {
  if (subject.type === 'invoice') {
    throw new ValidationError(`${action} acts on an order or a fulfillment order, not on an invoice.`, [
      { path: '/providerAction/action', message: 'does not belong on a "send to invoice" step' },
    ]);
  }
  return subject;
}
