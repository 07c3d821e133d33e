import { httpProviderPlugin } from './http-provider';

/**
 * The action names a generic HTTP instance may define: a journey step names one of them, and the
 * instance's `actions` parameter says how it is sent. Names, not behaviour: an instance defines only
 * the ones it uses.
 */
export const genericHttpActions = [
  { name: 'sendOrder', description: 'Send the order to the system' },
  { name: 'cancelOrder', description: 'Tell the system the order is cancelled' },
  { name: 'sendFulfillmentOrder', description: 'Send the fulfillment order to the system' },
  { name: 'cancelFulfillmentOrder', description: 'Tell the system the fulfillment order is cancelled' },
  { name: 'tenderLoad', description: 'Tender the fulfillment order as a freight load' },
  { name: 'calculateTax', description: 'Ask the system for the tax of the order' },
  { name: 'createShipment', description: 'Ask the system for a shipment (label, tracking number)' },
  {
    name: 'sendInvoice',
    description:
      'Hand an invoice to the invoicing system (on a "send to invoice" step: one call per invoice, subject.invoice)',
  },
];

/**
 * Any JSON-over-HTTP system, described declaratively per instance (docs/providers.md, "Generic
 * HTTP"). The built-in callback transformation passes through a body that already is
 * `{fulfillmentOrderId, event}`.
 */
export const genericHttpPlugin = httpProviderPlugin({
  id: 'generic-http',
  name: 'Generic HTTP',
  description: 'Any JSON HTTP API: actions and callbacks described by the instance (JSONata, no code)',
  serviceTypes: ['fulfillment', 'freight', 'carrier', 'tax', 'erp', 'invoicing'],
  actions: genericHttpActions,
  defaults: { actions: '{}' },
  callback: {
    messageType: 'fulfillmentOrderEvent',
    description: 'A status event of one of our fulfillment orders: {fulfillmentOrderId, event}',
    transformation: '$',
  },
  allowsMultipleInstances: true,
});
