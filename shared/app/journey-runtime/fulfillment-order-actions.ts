import type { JourneyAction } from '../../domain/journeys/journey';
import { runKey } from '../../domain/journeys/run-key';
import type { Invoice } from '../../domain/invoices/invoice';
import { shipmentBills } from '../../domain/invoices/shipment-bills';
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
 * invoice what shipped (an invoice per shipment and order, keyed by the shipment: billing the same
 * shipment again finds its invoice), email, custom.
 */
export function fulfillmentOrderActions(
  deps: FulfillmentOrderActionDeps
): Readonly<Partial<Record<JourneyAction, FulfillmentOrderAction>>> {
  return {
    sendToFulfillment: async ({ fulfillmentOrder, runId }) =>
      sendToFulfillment(await deps.fulfillmentOrders(), fulfillmentOrder.orderIds[0]!, runId),

    sendToInvoice: async ({ fulfillmentOrder }) => {
      const messages = await deps.messages();
      const invoices: Invoice[] = [];
      for (const { shipmentId, orderId, lines } of shipmentBills(fulfillmentOrder)) {
        const invoice = await messages.createInvoice({
          key: shipmentId,
          orderId,
          fulfillmentOrderId: fulfillmentOrder.id,
          shipmentId,
          lines,
        });
        if (invoice) invoices.push(invoice);
      }
      return {
        outcome: 'succeeded',
        detail:
          invoices.length > 0
            ? `invoices ${invoices.map((invoice) => invoice.id).join(', ')}`
            : 'nothing shipped to invoice',
        invoices,
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
