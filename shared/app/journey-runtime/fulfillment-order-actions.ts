import type { JourneyAction } from '../../domain/journeys/journey';
import { runKey } from '../../domain/journeys/run-key';
import type { OrderRepository } from '../../ports/orders';
import type { FulfillmentOrderAction } from './fulfillment-order-steps';
import { sendToFulfillment, type FulfillmentOrderActions, type MessageActions } from './order-actions';

export interface FulfillmentOrderActionDeps {
  orders: OrderRepository;
  fulfillmentOrders: () => Promise<FulfillmentOrderActions>;
  messages: () => Promise<MessageActions>;
}

/**
 * The built-in actions of fulfillment order journeys (JOURNEY_ACTIONS_BY_TYPE): send to fulfillment,
 * invoice what shipped (an invoice per order of the FO), email, custom.
 */
export function fulfillmentOrderActions(
  deps: FulfillmentOrderActionDeps
): Readonly<Partial<Record<JourneyAction, FulfillmentOrderAction>>> {
  return {
    sendToFulfillment: async ({ fulfillmentOrder, runId }) =>
      sendToFulfillment(await deps.fulfillmentOrders(), fulfillmentOrder.orderIds[0]!, runId),

    sendToInvoice: async ({ fulfillmentOrder, runId }) => {
      const messages = await deps.messages();
      const made: string[] = [];
      for (const [i, orderId] of fulfillmentOrder.orderIds.entries()) {
        const lines = fulfillmentOrder.lines
          .filter((line) => line.orderId === orderId && line.shipped > 0)
          .map((line) => ({ lineId: line.lineId, quantity: line.shipped }));
        if (lines.length === 0) continue;
        const invoice = await messages.createInvoice({
          key: `${runKey(runId)}-${i}`,
          orderId,
          fulfillmentOrderId: fulfillmentOrder.id,
          lines,
        });
        if (invoice) made.push(invoice.invoiceId);
      }
      return {
        outcome: 'succeeded',
        detail: made.length > 0 ? `invoices ${made.join(', ')}` : 'nothing shipped to invoice',
      };
    },

    sendEmail: async ({ fulfillmentOrder, step, runId }) => {
      const orderId = fulfillmentOrder.orderIds[0]!;
      const order = await deps.orders.get(orderId);
      const templateId = step.emailTemplateId ?? 'fulfillment-order-created';
      await (
        await deps.messages()
      ).queueEmail({
        key: runKey(runId),
        orderId,
        templateId,
        model: { order, fulfillmentOrder },
      });
      return { outcome: 'succeeded', detail: `email ${templateId} queued` };
    },

    custom: () => Promise.resolve({ outcome: 'succeeded' }),
  };
}
