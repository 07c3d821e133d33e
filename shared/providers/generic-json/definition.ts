import type { ProviderDefinition } from '../../domain/providers/provider-definition';

/**
 * Passes a body that already is our order intake through: `externalId` is made text, since a
 * user's system may send a numeric id and ours are strings. The user replaces this transformation
 * with their own when their system speaks another shape.
 */
export const genericJsonOrderTransformation = `$merge([$, { 'externalId': $string(externalId) }])`;

/** A user's own system that posts signed JSON orders to our webhook. One instance per system. */
export const genericJsonDefinition: ProviderDefinition = {
  id: 'generic-json',
  name: 'Generic JSON',
  description:
    'Orders from your own system, posted as signed JSON webhooks and shaped by your transformation',
  serviceType: 'order-intake',
  serviceTypes: ['order-intake'],
  parameters: [],
  secrets: [
    {
      name: 'webhookSecret',
      description: 'The key of the X-Openiom-Signature HMAC-SHA256 of each webhook body',
      required: false,
    },
  ],
  messageTypes: [
    { name: 'order', description: 'An order, new or changed', intent: 'upsert' },
    {
      name: 'fulfillmentOrderEvent',
      description:
        'A status event of one of our fulfillment orders (shipped with tracking, delivered, ...): {fulfillmentOrderId, event}',
      intent: 'fulfillmentOrderEvent',
    },
  ],
  actions: [],
  inbound: { webhook: true, polling: false, fileDrop: true },
  allowsMultipleInstances: true,
  transformations: { order: genericJsonOrderTransformation, fulfillmentOrderEvent: '$' },
};
