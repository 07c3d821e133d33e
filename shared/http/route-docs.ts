import { getConfig } from '../config';
import {
  fulfillmentOrderSchema,
  healthSchema,
  orderAcceptedSchema,
  orderSchema,
  pageSchema,
  traceSchema,
} from '../schemas/api-responses.schema';
import {
  alertAcknowledgeSchema,
  alertEvaluateSchema,
  alertListQuerySchema,
  alertRuleInputSchema,
} from '../schemas/alert.schema';
import { businessEventRequestSchema } from '../schemas/business-event.schema';
import { configBundleSchema } from '../schemas/configuration.schema';
import { emailTemplateInputSchema, outboxQuerySchema } from '../schemas/email.schema';
import { fulfillmentOrderEventSchema } from '../schemas/fulfillment-order-event.schema';
import { planRequestSchema } from '../schemas/fulfillment-plan.schema';
import { atpRequestSchema } from '../schemas/inventory-atp.schema';
import { scheduleInputSchema, scheduleListQuerySchema } from '../schemas/inventory-schedule.schema';
import {
  allocateSchema,
  allocationQuerySchema,
  changeEventsSchema,
  consumeSchema,
  inventoryQuerySchema,
  reallocateSchema,
  reserveSchema,
  setEntriesSchema,
  unreserveSchema,
} from '../schemas/inventory.schema';
import { measureConfigurationSchema } from '../schemas/inventory-measures.schema';
import { journeyInputSchema } from '../schemas/journey.schema';
import { masterDataBulkSchema } from '../schemas/master-data.schema';
import { orderIntakeSchema } from '../schemas/order-intake.schema';
import { orderUpdateSchema } from '../schemas/order-update.schema';
import { productInputSchema } from '../schemas/product.schema';
import {
  mappingGroupInputSchema,
  providerInstanceInputSchema,
  transformationInputSchema,
  transformationPreviewSchema,
} from '../schemas/provider.schema';
import {
  purchaseOrderInputSchema,
  supplyOrderListQuerySchema,
  supplyReceiptInputSchema,
  transferOrderInputSchema,
} from '../schemas/purchasing.schema';
import { returnLocationRequestSchema } from '../schemas/return-location.schema';
import { createReturnSchema, returnEventSchema } from '../schemas/return.schema';
import { sourceListInputSchema } from '../schemas/source-list.schema';
import { sourceInputSchema } from '../schemas/source.schema';
import { customStateFrameworkSchema } from '../schemas/state-framework.schema';
import { strategyInputSchema } from '../schemas/strategy.schema';

/**
 * What the OpenAPI description says of a route beyond its method and path. Request bodies are the
 * schemas the use cases' validators compile (shared/schemas), so the description cannot drift from
 * what is enforced; a route without an entry is still described, with a generic JSON body.
 */
export interface RouteDoc {
  summary?: string;
  /** The JSON Schema of the request body (a function where the schema is built per configuration). */
  body?: object | (() => object);
  /** The route reads no body (an action on the resource the path names). */
  noBody?: true;
  /** The body may be left out (the schema applies when there is one). */
  bodyOptional?: true;
  /** Query parameters (optional strings); list routes also take `top` and `continuationToken`. */
  query?: readonly string[];
  /** The JSON Schema the route validates its query with: its properties are the query parameters. */
  querySchema?: object;
  /** Request headers the route reads (strings, optional). */
  headers?: readonly string[];
  /** A list route: answers a page and takes `top` and `continuationToken`. */
  page?: boolean;
  /** Success statuses; by default 200 (GET, PATCH), 200/201 (PUT, POST), 204 (DELETE). */
  ok?: readonly number[];
  /** The JSON Schema of the success answer, where there is one. */
  answer?: object;
}

const page = { page: true, answer: pageSchema } as const;
/** A list route that answers all its items at once: `{items}`. */
const items = { answer: pageSchema } as const;

/** Route descriptions by function name (the operationId). */
export const routeDocs: Readonly<Record<string, RouteDoc>> = {
  health: { summary: 'Health: storage and Cosmos answer', answer: healthSchema },
  postOrder: {
    summary: 'Direct order intake',
    body: () => orderIntakeSchema(getConfig().maxOrderLines),
    headers: ['Idempotency-Key'],
    ok: [202],
    answer: orderAcceptedSchema,
  },
  listOrders: { summary: 'A page of orders', query: ['externalId', 'state'], ...page },
  getOrder: { summary: 'An order with its lines, fulfillment orders and journey', answer: orderSchema },
  getTrace: { summary: 'The spans of one trace recorded by this app (local span file)', answer: traceSchema },
  updateOrder: {
    summary: "Fix an order's data before fulfillment",
    body: orderUpdateSchema,
    answer: orderSchema,
  },
  cancelOrder: { summary: 'Cancel an order', noBody: true, answer: orderSchema, ok: [200] },
  reprocessOrder: { summary: "Resume an order's failed journey", noBody: true, ok: [202] },
  pauseOrder: { summary: "Pause an order's journey", noBody: true, ok: [202] },
  resumeOrder: { summary: "Resume an order's paused journey", noBody: true, ok: [202] },
  publishJourney: { summary: 'Publish a journey version', noBody: true },
  unpublishJourney: { summary: 'Unpublish a journey', noBody: true },
  publishPolicy: { summary: 'Publish a policy version', noBody: true },
  unpublishPolicy: { summary: 'Unpublish a policy', noBody: true },
  acknowledgeAlert: { summary: 'Acknowledge an alert', body: alertAcknowledgeSchema, bodyOptional: true },
  evaluateAlerts: { summary: 'Evaluate the alert rules now', body: alertEvaluateSchema, bodyOptional: true },
  putInventoryMeasures: { summary: 'Replace the inventory measures', body: measureConfigurationSchema },
  bulkMasterData: { summary: 'Save master data in bulk', body: masterDataBulkSchema },
  postEvent: { summary: 'Raise a business event', body: businessEventRequestSchema },
  getFulfillmentOrder: { summary: 'A fulfillment order', answer: fulfillmentOrderSchema },
  listFulfillmentOrders: {
    summary: 'A page of fulfillment orders',
    query: ['orderId', 'sourceId', 'state'],
    ...page,
  },
  postFulfillmentOrderEvent: {
    summary: 'Record a warehouse event on a fulfillment order',
    body: fulfillmentOrderEventSchema,
    ok: [200],
    answer: fulfillmentOrderSchema,
  },
  inventoryOnhandBulk: { summary: 'On-hand change events (deltas)', body: changeEventsSchema },
  inventoryOnhandSet: { summary: 'Set on-hand quantities', body: setEntriesSchema },
  inventoryQuery: { summary: 'Query inventory measures', body: inventoryQuerySchema },
  inventoryReserve: { summary: 'Reserve inventory', body: reserveSchema, ok: [201] },
  inventoryUnreserve: { summary: 'Release a reservation', body: unreserveSchema },
  inventoryAllocate: { summary: 'Allocate inventory to a group', body: allocateSchema },
  inventoryReallocate: { summary: 'Move an allocation between groups', body: reallocateSchema },
  inventoryUnallocate: { summary: 'Release an allocation', body: allocateSchema },
  inventoryConsume: { summary: 'Consume an allocation', body: consumeSchema },
  inventoryAllocationQuery: { summary: 'Query allocations', body: allocationQuerySchema },
  inventoryAtp: { summary: 'Available to promise per day', body: atpRequestSchema },
  putInventorySchedule: { summary: 'Save an inventory schedule entry', body: scheduleInputSchema },
  planFulfillment: { summary: 'Plan sourcing without changing anything', body: planRequestSchema },
  putSource: { summary: 'Save a source', body: () => sourceInputSchema() },
  putSourceList: { summary: 'Save a source list', body: sourceListInputSchema },
  putFulfillmentStrategy: { summary: 'Save a fulfillment strategy', body: strategyInputSchema },
  putProduct: { summary: 'Save a product', body: () => productInputSchema() },
  putJourney: { summary: 'Save a journey draft', body: journeyInputSchema },
  putStates: { summary: 'Replace the custom state framework rows', body: customStateFrameworkSchema },
  putProviderInstance: { summary: 'Save a provider instance', body: providerInstanceInputSchema },
  putMappingGroup: { summary: 'Save a mapping group', body: mappingGroupInputSchema },
  putTransformation: { summary: 'Save a transformation', body: transformationInputSchema },
  previewTransformation: {
    summary: 'Preview a transformation on a sample',
    body: transformationPreviewSchema,
  },
  importConfiguration: {
    summary: 'Import a configuration bundle',
    body: configBundleSchema,
    query: ['dryRun'],
  },
  putAlertRule: { summary: 'Save an alert rule', body: alertRuleInputSchema },
  putEmailTemplate: { summary: 'Save an email template', body: emailTemplateInputSchema },
  postReturn: {
    summary: 'Create a return',
    body: createReturnSchema,
    headers: ['Idempotency-Key'],
    ok: [201],
  },
  postReturnEvent: { summary: 'Record a return event', body: returnEventSchema },
  returnLocations: { summary: 'Where a return may be sent', body: returnLocationRequestSchema },
  putPurchaseOrder: { summary: 'Save a purchase order', body: purchaseOrderInputSchema },
  putTransferOrder: { summary: 'Save a transfer order', body: transferOrderInputSchema },
  receivePurchaseOrder: { summary: 'Receive on a purchase order', body: supplyReceiptInputSchema },
  receiveTransferOrder: { summary: 'Receive on a transfer order', body: supplyReceiptInputSchema },
  receiveProviderWebhook: { summary: "A provider's webhook, checked by its signature", ok: [202] },
  getOpenApi: { summary: 'This description (OpenAPI 3.1)' },
  getOpenApi2: { summary: 'This description as Swagger 2.0, for Power Automate custom connectors' },
  listOutbox: { summary: 'Mail sent and queued', querySchema: outboxQuerySchema, ...items },
  listAlerts: { summary: 'A page of raised alerts', querySchema: alertListQuerySchema, ...page },
  listErrors: { summary: 'A page of an error list', query: ['list', 'status'], ...page },
  listInventoryHolds: { summary: 'A page of held order lines', ...page },
  listPurchaseOrders: {
    summary: 'A page of purchase orders',
    querySchema: supplyOrderListQuerySchema,
    ...items,
  },
  listTransferOrders: {
    summary: 'A page of transfer orders',
    querySchema: supplyOrderListQuerySchema,
    ...items,
  },
  listReturns: { summary: 'Returns', query: ['orderId'], ...items },
  listAlertRules: { summary: 'Alert rules', ...items },
  listEmailTemplates: { summary: 'Email templates', ...items },
  listFulfillmentStrategies: { summary: 'Fulfillment strategies', ...items },
  listInventorySchedules: {
    summary: 'Inventory schedule entries',
    querySchema: scheduleListQuerySchema,
    ...items,
  },
  listMappingGroups: { summary: 'Mapping groups', ...items },
  listMasterDataImports: { summary: 'Master-data file imports', query: ['entity'], ...items },
  listOrderInvoices: { summary: "An order's invoices and credit notes", ...items },
  listProviderInstances: { summary: 'Provider instances', ...items },
  listProviders: { summary: 'Built-in provider definitions', ...items },
  listSourceLists: { summary: 'Source lists', ...items },
  listSources: { summary: 'Sources', ...items },
  listTransformations: { summary: 'Transformations', ...items },
};
