import { getConfig } from '../config';
import * as answers from '../schemas/api-responses.schema';
import { holdCheckRequestSchema, holdListQuerySchema } from '../schemas/inventory-hold.schema';
import { masterDataItemSchema } from '../schemas/master-data.schema';
import { policyEvaluationRequestSchema, policyInputSchema } from '../schemas/policy.schema';
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
  /** The route answers 503 when a service it depends on does not answer (health). */
  unavailable?: true;
}

const { fulfillmentOrderSchema, healthSchema, orderAcceptedSchema, orderSchema, pageOf } = answers;

/** A list route answering a page of `item`s; it takes `top` and `continuationToken`. */
const page = (item: object) => ({ page: true, answer: pageOf(item) }) as const;
/** A list route that answers all its items at once: `{items}`. */
const items = (item: object) => ({ answer: pageOf(item) }) as const;

/** PUT of an account, price list or unit: one master-data item, its key taken from the route. */
function recordBody(entity: 'accounts' | 'price-lists' | 'units', keyField: string): () => object {
  return () => {
    const item = masterDataItemSchema(entity) as { required: string[] };
    return { ...item, required: item.required.filter((field) => field !== keyField) };
  };
}

/** Route descriptions by function name (the operationId). */
export const routeDocs: Readonly<Record<string, RouteDoc>> = {
  health: { summary: 'Health: storage and Cosmos answer', answer: healthSchema, unavailable: true },
  postOrder: {
    summary: 'Direct order intake',
    body: () => orderIntakeSchema(getConfig().maxOrderLines),
    headers: ['Idempotency-Key'],
    ok: [202],
    answer: orderAcceptedSchema,
  },
  listOrders: {
    summary: 'A page of orders, newest first',
    query: ['externalId', 'state', 'channel', 'createdFrom', 'createdTo'],
    ...page(orderSchema),
  },
  getOrder: { summary: 'An order with its lines, fulfillment orders and journey', answer: orderSchema },
  getOrderTimeline: {
    summary: "An order's timeline, oldest first",
    ...items(answers.timelineEntrySchema),
  },
  updateOrder: {
    summary: "Fix an order's data before fulfillment",
    body: orderUpdateSchema,
    answer: orderSchema,
  },
  cancelOrder: { summary: 'Cancel an order', noBody: true, answer: orderSchema, ok: [200] },
  reprocessOrder: {
    summary: "Resume an order's failed journey",
    noBody: true,
    ok: [202],
    answer: answers.journeyOperationSchema,
  },
  pauseOrder: {
    summary: "Pause an order's journey",
    noBody: true,
    ok: [202],
    answer: answers.journeyOperationSchema,
  },
  resumeOrder: {
    summary: "Resume an order's paused journey",
    noBody: true,
    ok: [202],
    answer: answers.journeyOperationSchema,
  },
  listErrors: {
    summary: 'A page of an error list',
    query: ['list', 'status'],
    ...page(answers.errorEntrySchema),
  },
  resubmitError: {
    summary: "Put an error entry's payload back on its queue",
    noBody: true,
    query: ['list'],
    ok: [200],
    answer: answers.errorEntrySchema,
  },
  getMetrics: {
    summary: 'Intake, order, journey and error-list counters for the dashboard',
    answer: answers.metricsSchema,
  },
  getMeter: { summary: 'Orders and order lines per month', query: ['month'], answer: answers.meterSchema },
  postEvent: {
    summary: 'Raise a business event',
    body: businessEventRequestSchema,
    answer: answers.raisedEventSchema,
  },
  putProduct: {
    summary: 'Save a product',
    body: () => productInputSchema(),
    answer: answers.productSchema,
  },
  getProduct: { summary: 'A product', answer: answers.productSchema },
  createPolicy: {
    summary: 'Create a policy as draft version 1',
    body: () => policyInputSchema(true),
    ok: [201],
    answer: answers.policySchema,
  },
  listPolicies: {
    summary: 'The latest version of each policy',
    query: ['status'],
    ...items(answers.policySchema),
  },
  getPolicy: { summary: 'A policy version', query: ['version'], answer: answers.policySchema },
  putPolicy: {
    summary: 'Replace a draft policy, or edit a published one into a new draft',
    body: () => policyInputSchema(false),
    headers: ['If-Match'],
    answer: answers.policySchema,
  },
  publishPolicy: {
    summary: 'Publish a policy version',
    noBody: true,
    headers: ['If-Match'],
    ok: [200],
    answer: answers.policySchema,
  },
  unpublishPolicy: {
    summary: 'Unpublish a policy',
    noBody: true,
    headers: ['If-Match'],
    ok: [200],
    answer: answers.policySchema,
  },
  evaluatePolicy: {
    summary: 'Evaluate a policy on an entity, changing nothing',
    body: policyEvaluationRequestSchema,
    query: ['version'],
    ok: [200],
    answer: answers.policyEvaluationSchema,
  },
  listJourneys: {
    summary: 'The latest version of each journey',
    query: ['type', 'status'],
    ...items(answers.journeySchema),
  },
  getJourney: {
    summary: 'A journey version with every version in brief',
    query: ['version'],
    answer: answers.journeyWithVersionsSchema,
  },
  putJourney: { summary: 'Save a journey draft', body: journeyInputSchema, answer: answers.journeySchema },
  publishJourney: {
    summary: 'Publish a journey version',
    noBody: true,
    ok: [200],
    answer: answers.journeySchema,
  },
  unpublishJourney: {
    summary: 'Unpublish a journey',
    noBody: true,
    ok: [200],
    answer: answers.journeySchema,
  },
  getStates: { summary: 'The state framework', answer: answers.stateFrameworkSchema },
  putStates: {
    summary: 'Replace the custom state framework rows',
    body: customStateFrameworkSchema,
    ok: [200],
    answer: answers.stateFrameworkSchema,
  },
  putSource: { summary: 'Save a source', body: () => sourceInputSchema(), answer: answers.sourceSchema },
  getSource: { summary: 'A source', answer: answers.sourceSchema },
  listSources: { summary: 'Sources', ...items(answers.sourceSchema) },
  inventoryOnhandBulk: {
    summary: 'On-hand change events (deltas)',
    body: changeEventsSchema,
    ok: [200],
    answer: answers.inventoryChangeSummarySchema,
  },
  inventoryOnhandSet: {
    summary: 'Set on-hand quantities',
    body: setEntriesSchema,
    ok: [200],
    answer: answers.inventoryChangeSummarySchema,
  },
  inventoryQuery: {
    summary: 'Query inventory measures',
    body: inventoryQuerySchema,
    ok: [200],
    ...items(answers.inventoryItemSchema),
  },
  inventoryReserve: {
    summary: 'Reserve inventory',
    body: reserveSchema,
    ok: [201],
    answer: answers.reservationSchema,
  },
  inventoryUnreserve: {
    summary: 'Release a reservation',
    body: unreserveSchema,
    ok: [200],
    answer: answers.unreserveAnswerSchema,
  },
  inventoryAllocate: {
    summary: 'Allocate inventory to a group',
    body: allocateSchema,
    ok: [200],
    answer: answers.allocationAnswerSchema,
  },
  inventoryReallocate: {
    summary: 'Move an allocation between groups',
    body: reallocateSchema,
    ok: [200],
    answer: answers.allocationAnswerSchema,
  },
  inventoryUnallocate: {
    summary: 'Release an allocation',
    body: allocateSchema,
    ok: [200],
    answer: answers.allocationAnswerSchema,
  },
  inventoryConsume: {
    summary: 'Consume an allocation',
    body: consumeSchema,
    ok: [200],
    answer: answers.allocationAnswerSchema,
  },
  inventoryAllocationQuery: {
    summary: 'Query allocations',
    body: allocationQuerySchema,
    ok: [200],
    ...items(answers.allocationItemSchema),
  },
  getInventoryMeasures: {
    summary: 'The inventory measures',
    answer: answers.measureConfigurationAnswerSchema,
  },
  putInventoryMeasures: {
    summary: 'Replace the inventory measures',
    body: measureConfigurationSchema,
    answer: answers.measureConfigurationAnswerSchema,
  },
  putInventorySchedule: {
    summary: 'Save an inventory schedule entry',
    body: scheduleInputSchema,
    answer: answers.inventoryScheduleSchema,
  },
  getInventorySchedule: { summary: 'An inventory schedule entry', answer: answers.inventoryScheduleSchema },
  deleteInventorySchedule: { summary: 'Delete an inventory schedule entry' },
  listInventorySchedules: {
    summary: 'Inventory schedule entries',
    querySchema: scheduleListQuerySchema,
    ...items(answers.inventoryScheduleSchema),
  },
  inventoryAtp: {
    summary: 'Available to promise per day',
    body: atpRequestSchema,
    ok: [200],
    answer: answers.atpAnswerSchema,
  },
  checkInventoryHolds: {
    summary: "Reserve an order's lines or put them on hold",
    body: holdCheckRequestSchema,
    ok: [200],
    answer: answers.holdCheckAnswerSchema,
  },
  recheckInventoryHolds: {
    summary: 'Re-check the held lines now',
    noBody: true,
    ok: [200],
    answer: answers.holdRecheckAnswerSchema,
  },
  listInventoryHolds: {
    summary: 'A page of held order lines',
    querySchema: holdListQuerySchema,
    ...page(answers.inventoryHoldSchema),
  },
  putSourceList: {
    summary: 'Save a source list',
    body: sourceListInputSchema,
    answer: answers.sourceListSchema,
  },
  getSourceList: { summary: 'A source list', answer: answers.sourceListSchema },
  deleteSourceList: { summary: 'Delete a source list' },
  listSourceLists: { summary: 'Source lists', ...items(answers.sourceListSchema) },
  putFulfillmentStrategy: {
    summary: 'Save a fulfillment strategy',
    body: strategyInputSchema,
    answer: answers.strategySchema,
  },
  getFulfillmentStrategy: { summary: 'A fulfillment strategy', answer: answers.strategySchema },
  deleteFulfillmentStrategy: { summary: 'Delete a fulfillment strategy' },
  listFulfillmentStrategies: { summary: 'Fulfillment strategies', ...items(answers.strategySchema) },
  planFulfillment: {
    summary: 'Plan sourcing without changing anything',
    body: planRequestSchema,
    ok: [200],
    answer: answers.planAnswerSchema,
  },
  getFulfillmentOrder: { summary: 'A fulfillment order', answer: fulfillmentOrderSchema },
  listFulfillmentOrders: {
    summary: 'A page of fulfillment orders',
    query: ['orderId', 'sourceId', 'state'],
    ...page(fulfillmentOrderSchema),
  },
  postFulfillmentOrderEvent: {
    summary: 'Record a warehouse event on a fulfillment order',
    body: fulfillmentOrderEventSchema,
    ok: [200],
    answer: fulfillmentOrderSchema,
  },
  returnLocations: {
    summary: 'Where a return may be sent',
    body: returnLocationRequestSchema,
    ok: [200],
    answer: answers.returnLocationAnswerSchema,
  },
  postReturn: {
    summary: 'Create a return',
    body: createReturnSchema,
    headers: ['Idempotency-Key'],
    ok: [201],
    answer: answers.returnCreatedSchema,
  },
  listReturns: { summary: 'Returns', query: ['orderId'], ...items(answers.returnSchema) },
  getReturn: { summary: 'A return', answer: answers.returnSchema },
  postReturnEvent: {
    summary: 'Record a return event',
    body: returnEventSchema,
    ok: [200],
    answer: answers.returnSchema,
  },
  putEmailTemplate: {
    summary: 'Save an email template',
    body: emailTemplateInputSchema,
    answer: answers.emailTemplateSchema,
  },
  getEmailTemplate: { summary: 'An email template', answer: answers.emailTemplateSchema },
  listEmailTemplates: { summary: 'Email templates', ...items(answers.emailTemplateSchema) },
  listOutbox: {
    summary: 'Mail sent and queued',
    querySchema: outboxQuerySchema,
    ...items(answers.outboxMessageSchema),
  },
  listOrderInvoices: {
    summary: "An order's invoices and credit notes",
    ...items(answers.invoiceSchema),
  },
  listAlerts: {
    summary: 'A page of raised alerts',
    querySchema: alertListQuerySchema,
    ...page(answers.alertSchema),
  },
  acknowledgeAlert: {
    summary: 'Acknowledge an alert',
    body: alertAcknowledgeSchema,
    bodyOptional: true,
    ok: [200],
    answer: answers.alertSchema,
  },
  evaluateAlerts: {
    summary: 'Evaluate the alert rules now',
    body: alertEvaluateSchema,
    bodyOptional: true,
    ok: [200],
    answer: answers.alertEvaluationSchema,
  },
  putAlertRule: {
    summary: 'Save an alert rule',
    body: alertRuleInputSchema,
    answer: answers.alertRuleSchema,
  },
  getAlertRule: { summary: 'An alert rule', answer: answers.alertRuleSchema },
  listAlertRules: { summary: 'Alert rules', ...items(answers.alertRuleSchema) },
  deleteAlertRule: { summary: 'Delete an alert rule' },
  listProviders: { summary: 'Built-in provider definitions', ...items(answers.providerDefinitionSchema) },
  putProviderInstance: {
    summary: 'Save a provider instance',
    body: providerInstanceInputSchema,
    answer: answers.providerInstanceSchema,
  },
  getProviderInstance: { summary: 'A provider instance', answer: answers.providerInstanceSchema },
  listProviderInstances: { summary: 'Provider instances', ...items(answers.providerInstanceSchema) },
  putMappingGroup: {
    summary: 'Save a mapping group',
    body: mappingGroupInputSchema,
    answer: answers.mappingGroupSchema,
  },
  getMappingGroup: { summary: 'A mapping group', answer: answers.mappingGroupSchema },
  listMappingGroups: { summary: 'Mapping groups', ...items(answers.mappingGroupSchema) },
  previewTransformation: {
    summary: 'Preview a transformation on a sample',
    body: transformationPreviewSchema,
    ok: [200],
    answer: answers.transformationPreviewAnswerSchema,
  },
  putTransformation: {
    summary: 'Save a transformation',
    body: transformationInputSchema,
    answer: answers.transformationSchema,
  },
  getTransformation: { summary: 'A transformation', answer: answers.transformationSchema },
  listTransformations: { summary: 'Transformations', ...items(answers.transformationSchema) },
  exportConfiguration: {
    summary: 'Export the configuration as a bundle',
    answer: answers.configBundleAnswerSchema,
  },
  importConfiguration: {
    summary: 'Import a configuration bundle',
    body: configBundleSchema,
    query: ['dryRun'],
    ok: [200],
    answer: answers.configImportAnswerSchema,
  },
  receiveProviderWebhook: {
    summary: "A provider's webhook, checked by its signature",
    body: {
      description:
        "The provider's own callback payload, as it sends it; checked by the provider's signature, not by a schema.",
    },
    ok: [202],
    answer: answers.webhookAcceptedSchema,
  },
  putPurchaseOrder: {
    summary: 'Save a purchase order',
    body: purchaseOrderInputSchema,
    headers: ['If-Match', 'If-None-Match'],
    answer: answers.purchaseOrderSchema,
  },
  getPurchaseOrder: { summary: 'A purchase order', answer: answers.purchaseOrderSchema },
  listPurchaseOrders: {
    summary: 'A page of purchase orders',
    querySchema: supplyOrderListQuerySchema,
    ...items(answers.purchaseOrderSchema),
  },
  receivePurchaseOrder: {
    summary: 'Receive on a purchase order',
    body: supplyReceiptInputSchema,
    answer: answers.supplyReceiptAnswerSchema(answers.purchaseOrderSchema),
  },
  cancelPurchaseOrder: {
    summary: 'Cancel a purchase order',
    noBody: true,
    ok: [200],
    answer: answers.purchaseOrderSchema,
  },
  putTransferOrder: {
    summary: 'Save a transfer order',
    body: transferOrderInputSchema,
    headers: ['If-Match', 'If-None-Match'],
    answer: answers.transferOrderSchema,
  },
  getTransferOrder: { summary: 'A transfer order', answer: answers.transferOrderSchema },
  listTransferOrders: {
    summary: 'A page of transfer orders',
    querySchema: supplyOrderListQuerySchema,
    ...items(answers.transferOrderSchema),
  },
  receiveTransferOrder: {
    summary: 'Receive on a transfer order',
    body: supplyReceiptInputSchema,
    answer: answers.supplyReceiptAnswerSchema(answers.transferOrderSchema),
  },
  cancelTransferOrder: {
    summary: 'Cancel a transfer order',
    noBody: true,
    ok: [200],
    answer: answers.transferOrderSchema,
  },
  bulkMasterData: {
    summary: 'Save master data in bulk',
    body: masterDataBulkSchema,
    ok: [200],
    answer: answers.masterDataBulkAnswerSchema,
  },
  getAccount: { summary: 'An account', answer: answers.masterDataRecordSchema('accountId') },
  putAccount: {
    summary: 'Save an account',
    body: recordBody('accounts', 'accountId'),
    answer: answers.masterDataRecordSchema('accountId'),
  },
  getPriceList: { summary: 'A price list', answer: answers.masterDataRecordSchema('priceListId') },
  putPriceList: {
    summary: 'Save a price list (its prices merge into the stored ones)',
    body: recordBody('price-lists', 'priceListId'),
    answer: answers.masterDataRecordSchema('priceListId'),
  },
  getUnit: { summary: 'A unit', answer: answers.masterDataRecordSchema('unitId') },
  putUnit: {
    summary: 'Save a unit',
    body: recordBody('units', 'unitId'),
    answer: answers.masterDataRecordSchema('unitId'),
  },
  getMasterDataImport: {
    summary: "A master-data file import's progress or report",
    answer: answers.masterDataImportSchema,
  },
  listMasterDataImports: {
    summary: 'Master-data file imports',
    query: ['entity'],
    ...items(answers.masterDataImportSchema),
  },
  getOpenApi: { summary: 'This description (OpenAPI 3.1)', answer: answers.openApiAnswerSchema },
  getOpenApi2: {
    summary: 'This description as Swagger 2.0, for Power Automate custom connectors',
    answer: answers.swagger2AnswerSchema,
  },
};
