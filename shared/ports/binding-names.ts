/**
 * Names of the queues and blob containers that entry points bind triggers to and adapters write
 * to: both sides take them from here, so a trigger always listens where the adapter sends.
 */

/** Direct intake: accepted orders wait here for the consumer. */
export const intakeQueueName = 'order-intake';
/** Where the host moves an intake message after its last failed delivery. */
export const intakePoisonQueueName = `${intakeQueueName}-poison`;
/** host.json `extensions.queues.maxDequeueCount`: deliveries a message failed before it was poisoned. */
export const intakeMaxDequeueCount = 5;
/** The Service Bus queue orders may also arrive on (IOM's generic Service Bus trigger). */
export const serviceBusIntakeQueueName = 'order-intake-sb';
/** The Service Bus topic business events are published to, and its catch-all subscription. */
export const businessEventsTopicName = 'business-events';
export const businessEventsAllSubscription = 'all';
/** Error list entries name a Service Bus queue as `servicebus:{queue}`, so a resubmit goes back there. */
export const serviceBusQueuePrefix = 'servicebus:';
/** Raw intake bodies, kept for error lists and resubmission. */
export const intakeArchiveContainer = 'intake-archive';
/** Business events when no Service Bus is configured (and the topic's name when one is). */
export const businessEventsQueueName = 'business-events';
/** Starts of and events for journey instances, drained by the journey runtime (functions/journey-runtime.ts). */
export const journeySignalsQueueName = 'journey-signals';
/** Inventory file drops (CSV, XLSX, JSON). */
export const inventoryImportsContainer = 'inventory-imports';
/** One JSON report per dropped inventory file. */
export const inventoryImportResultsContainer = 'inventory-imports-results';
/** Purchase order file drops (CSV, XLSX, JSON; one row per order line). */
export const purchaseOrderImportsContainer = 'purchase-order-imports';
/** One JSON report per dropped purchase order file. */
export const purchaseOrderImportResultsContainer = 'purchase-order-imports-results';
/** Provider messages (webhooks, polls, files) waiting to become orders. */
export const providerInboundQueueName = 'provider-inbound';
export const providerInboundPoisonQueueName = `${providerInboundQueueName}-poison`;
/** Provider message bodies as received. */
export const providerInboundArchiveContainer = 'provider-inbound-archive';
/** Order files dropped per provider instance: `order-imports/{instanceId}/...`. */
export const orderImportsContainer = 'order-imports';
/** One JSON report per dropped order file, under the file's own name. */
export const orderImportResultsContainer = 'order-imports-results';
/** Outbox messages to send by SMTP: `{orderId, id}` of the outbox message (the outbox is the truth). */
export const emailDeliveryQueueName = 'email-delivery';
export const emailDeliveryPoisonQueueName = `${emailDeliveryQueueName}-poison`;
/** host.json `extensions.queues.maxDequeueCount`, as for the intake queue. */
export const emailDeliveryMaxDequeueCount = 5;
/** Master-data files dropped per entity: `master-data-imports/{entity}/{file}` (CSV, XLSX, JSON). */
export const masterDataImportsContainer = 'master-data-imports';
/** One JSON report per dropped master-data file: `{entity}/{file}.json`. */
export const masterDataImportResultsContainer = 'master-data-imports-results';
