import type { JourneyType } from './journey';

/** A journey as `PUT /api/v1/journeys/{id}` takes it. */
export interface JourneyDefinition {
  id: string;
  name: string;
  type: JourneyType;
  steps: Record<string, unknown>[];
}

/** Thirty days: how long a journey waits for stock or a shipment before its step times out. */
const thirtyDays = 30 * 24 * 3600;

/**
 * The journeys a fresh install publishes (docs/journeys.md), so an order posted with no configuration
 * reaches fulfillment orders: validate header → validate lines → confirmation email → optimize → reserve (waiting on
 * backorder until every line is reserved) → create fulfillment orders → send to fulfillment → wait
 * for shipment → shipment email → complete. A fulfillment order waits for its shipment and is
 * invoiced; a return is authorized, its instructions emailed, and once received and inspected it
 * is refunded (a credit note) and its lines restocked or written off.
 */
export const DEFAULT_JOURNEYS: readonly JourneyDefinition[] = [
  {
    id: 'default-order',
    name: 'Default order journey',
    type: 'order',
    steps: [
      {
        name: 'Validate order header',
        action: 'validateOrderHeader',
        inputEvents: ['New Order'],
        successEvent: 'Validation of Order Header has Succeeded',
      },
      {
        name: 'Validate order lines',
        action: 'validateOrderLines',
        inputEvents: ['Validation of Order Header has Succeeded'],
        successEvent: 'Validation of Order Lines has Succeeded',
      },
      {
        name: 'Send order confirmation',
        action: 'sendEmail',
        emailTemplateId: 'order-confirmation',
        inputEvents: ['Validation of Order Lines has Succeeded'],
        successEvent: 'Order Confirmation Email Sent',
      },
      {
        name: 'Optimize fulfillment',
        action: 'sendToFulfillmentOptimization',
        inputEvents: ['Order Confirmation Email Sent'],
        successEvent: 'Fulfillment optimization request succeeded',
      },
      {
        name: 'Soft reserve inventory',
        action: 'softReserveInventory',
        inputEvents: ['Fulfillment optimization request succeeded'],
        wait: { event: 'Order Header Ready to be Fulfilled', timeoutSeconds: thirtyDays },
      },
      {
        name: 'Create fulfillment orders',
        action: 'sendFulfillmentProcessRequest',
        inputEvents: ['Order Header Ready to be Fulfilled'],
        successEvent: 'Send fulfillment process request has Succeeded',
      },
      {
        name: 'Send to fulfillment',
        action: 'sendToFulfillment',
        inputEvents: ['Send fulfillment process request has Succeeded'],
        successEvent: 'Send Order to Fulfillment Provider has Succeeded',
      },
      {
        name: 'Wait for shipment',
        action: 'custom',
        inputEvents: ['Send Order to Fulfillment Provider has Succeeded'],
        wait: { event: 'Order Fulfilled', timeoutSeconds: thirtyDays },
      },
      {
        name: 'Send shipment email',
        action: 'sendEmail',
        emailTemplateId: 'order-shipped',
        inputEvents: ['Order Fulfilled'],
        successEvent: 'Shipment Email Sent',
      },
      { kind: 'exit', name: 'Complete', inputEvents: ['Shipment Email Sent'] },
    ],
  },
  {
    id: 'default-fulfillment-order',
    name: 'Default fulfillment order journey',
    type: 'fulfillmentOrder',
    steps: [
      {
        name: 'Wait for shipment',
        action: 'custom',
        inputEvents: ['Creation of Fulfillment Order Succeeded'],
        wait: { event: 'Fulfillment Order Shipped', timeoutSeconds: thirtyDays },
      },
      {
        name: 'Invoice shipment',
        action: 'sendToInvoice',
        inputEvents: ['Fulfillment Order Shipped'],
        successEvent: 'Fulfillment Order Invoiced',
      },
      { kind: 'exit', name: 'Complete', inputEvents: ['Fulfillment Order Invoiced'] },
    ],
  },
  {
    id: 'default-return',
    name: 'Default return journey',
    type: 'return',
    steps: [
      {
        name: 'Authorize return',
        action: 'custom',
        inputEvents: ['Return Created'],
        successEvent: 'Return Authorized',
      },
      {
        name: 'Send return instructions',
        action: 'sendEmail',
        emailTemplateId: 'return-instructions',
        inputEvents: ['Return Authorized'],
        successEvent: 'Return Instructions Sent',
      },
      {
        name: 'Wait for the goods',
        action: 'custom',
        inputEvents: ['Return Instructions Sent'],
        wait: { event: 'Return Received', timeoutSeconds: thirtyDays },
      },
      {
        name: 'Wait for inspection',
        action: 'custom',
        inputEvents: ['Return Received'],
        wait: { event: 'Return Inspected', timeoutSeconds: thirtyDays },
      },
      {
        name: 'Refund',
        action: 'sendToInvoice',
        inputEvents: ['Return Inspected'],
        successEvent: 'Return Credited',
      },
      {
        name: 'Restock or write off',
        action: 'disposeReturn',
        inputEvents: ['Return Credited'],
        successEvent: 'Return Disposed',
      },
      { kind: 'exit', name: 'Complete', inputEvents: ['Return Disposed'] },
      // A cancelled return waits for nothing more.
      { kind: 'exit', name: 'Cancelled', inputEvents: ['Return Cancelled'] },
    ],
  },
];
