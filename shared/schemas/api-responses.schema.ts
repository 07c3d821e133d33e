import { errorListNames, errorStatuses } from '../domain/error-lists/error-entry';

/**
 * JSON Schemas of the answers the OpenAPI description declares (shared/http/openapi.ts). They name the
 * fields docs/api.md promises and leave the rest open (`additionalProperties` allowed), so a field
 * added later does not break a client that validates against them.
 */

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;

/** RFC 9457 problem details as every error answer carries them (shared/http/problem.ts). */
export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: text,
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: text,
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: text, message: text },
      },
    },
  },
} as const;

/** A page of `item`s: `{items, continuationToken?}`. */
export function pageOf(item: object): object {
  return {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: item }, continuationToken: text },
  };
}

/** The answer of `POST /api/v1/orders`. */
export const orderAcceptedSchema = {
  type: 'object',
  required: ['orderId', 'duplicate', 'statusUrl'],
  properties: { orderId: text, duplicate: { type: 'boolean' }, statusUrl: text },
} as const;

const journeyStatus = ['running', 'waiting', 'paused', 'failed', 'completed', 'cancelled'] as const;

/** An order as `GET /api/v1/orders/{orderId}` shows it (shared/http/order-view.ts). */
export const orderSchema = {
  type: 'object',
  required: [
    'orderId',
    'externalId',
    'currency',
    'state',
    'stateReason',
    'lines',
    'fulfillmentOrders',
    'journey',
  ],
  properties: {
    orderId: text,
    externalId: text,
    channel: text,
    currency: text,
    state: text,
    stateReason: nullableText,
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['lineId', 'sku', 'quantity', 'state', 'stateReason'],
        properties: {
          lineId: text,
          sku: text,
          quantity: { type: 'number' },
          state: text,
          stateReason: nullableText,
        },
      },
    },
    fulfillmentOrders: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'sourceId', 'state', 'lines'],
        properties: {
          id: text,
          sourceId: text,
          state: text,
          lines: { type: 'array', items: { type: 'object' } },
        },
      },
    },
    journey: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['id', 'version', 'status'],
          properties: { id: text, version: { type: 'integer' }, status: { enum: journeyStatus } },
        },
      ],
    },
  },
} as const;

/** A fulfillment order (shared/http/fulfillment-order-view.ts). */
export const fulfillmentOrderSchema = {
  type: 'object',
  required: ['id', 'sourceId', 'state', 'orderIds', 'lines', 'shipments'],
  properties: {
    id: text,
    sourceId: text,
    state: text,
    stateReason: nullableText,
    orderIds: { type: 'array', items: text },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['orderId', 'lineId', 'sku', 'quantity', 'state'],
        properties: { orderId: text, lineId: text, sku: text, quantity: { type: 'number' }, state: text },
      },
    },
    shipments: {
      type: 'array',
      items: {
        type: 'object',
        required: ['carrier', 'trackingNumber', 'lines'],
        properties: { carrier: text, trackingNumber: text, url: text, lines: { type: 'array' } },
      },
    },
  },
} as const;

/** `GET /api/health` when it is healthy. */
export const healthSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { const: 'ok' } },
} as const;

// The answers of the other routes, from the views in shared/http and the use cases' results. Each
// names the fields a client can rely on and leaves the rest open, as above.

const integer = { type: 'integer' } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;
const object = { type: 'object' } as const;
const texts = { type: 'array', items: text } as const;
const objects = { type: 'array', items: object } as const;

/** An object with these fields, all required (`optional` ones only described). */
function fields(required: Record<string, object>, optional: Record<string, object> = {}): object {
  return { type: 'object', required: Object.keys(required), properties: { ...required, ...optional } };
}

/** The answer of `POST /api/v1/orders/{orderId}/reprocess|pause|resume` (the journey as it was). */
export const journeyOperationSchema = fields(
  {
    orderId: text,
    journey: fields({ id: text, version: integer, status: { enum: journeyStatus }, step: nullableText }),
  },
  { fulfillmentOrderIds: texts }
);

/** One entry of `GET /api/v1/orders/{orderId}/timeline` (shared/http/order-view.ts timelineView). */
export const timelineEntrySchema = fields(
  { at: text, kind: { enum: ['event', 'step', 'error'] }, name: text, entityType: text, entityId: text },
  { fromState: text, toState: text, reason: text, detail: text }
);

/** An error-list entry (shared/http/error-view.ts). */
export const errorEntrySchema = fields(
  {
    id: text,
    kind: text,
    createdAt: text,
    source: text,
    message: text,
    status: text,
    attempts: integer,
  },
  { step: text, messageId: text, detail: text, payload: text, queue: text, orderId: text, updatedAt: text }
);

/** A month of `GET /api/v1/meter`. */
export const monthUsageSchema = fields({ month: text, orderLines: integer, orders: integer });

/** `GET /api/v1/meter`: one month with `?month=`, else the last twelve as `{items}`. */
export const meterSchema = {
  oneOf: [monthUsageSchema, fields({ items: { type: 'array', items: monthUsageSchema } })],
} as const;

/** The answer of `POST /api/v1/events`. */
export const raisedEventSchema = fields({ eventId: text, duplicate: boolean, timeline: objects });

/** A policy version (shared/http/policy-view.ts). */
export const policySchema = fields(
  {
    id: text,
    name: text,
    kind: text,
    entityType: text,
    criticality: text,
    rule: object,
    version: integer,
    status: text,
    createdAt: text,
    updatedAt: text,
  },
  { actions: objects }
);

/** The answer of `POST /api/v1/policies/{id}/evaluate`. */
export const policyEvaluationSchema = fields({ passed: boolean, explanation: object, version: integer });

/** A journey version (shared/http/journey-view.ts). */
export const journeySchema = fields({
  id: text,
  name: text,
  type: text,
  startEvent: text,
  steps: objects,
  version: integer,
  status: text,
  createdAt: text,
  updatedAt: text,
});

/** `GET /api/v1/journeys/{journeyId}`: the version, every version's summary and the one in force. */
export const journeyWithVersionsSchema = {
  allOf: [journeySchema, fields({ versions: objects }, { publishedVersion: { type: ['integer', 'null'] } })],
} as const;

/** The state framework (shared/http/state-framework-view.ts). */
export const stateFrameworkSchema = fields({
  enabled: boolean,
  states: objects,
  reasons: objects,
  transitions: objects,
  events: objects,
});

const stamped = { createdAt: text, updatedAt: text };

/** A product as saved. */
export const productSchema = fields({ sku: text, ...stamped });
/** A source as saved. */
export const sourceSchema = fields({
  id: text,
  name: text,
  type: text,
  address: object,
  online: boolean,
  priority: number,
  ...stamped,
});
/** A source list as saved. */
export const sourceListSchema = fields({ id: text, ...stamped });
/** A fulfillment strategy as saved. */
export const strategySchema = fields({
  id: text,
  name: text,
  isDefault: boolean,
  objective: text,
  constraints: objects,
  ...stamped,
});
/** An inventory schedule entry as saved. */
export const inventoryScheduleSchema = fields({
  id: text,
  sku: text,
  sourceId: text,
  kind: text,
  quantity: number,
  date: text,
  ...stamped,
});
/** The inventory measures configuration. */
export const measureConfigurationAnswerSchema = fields({
  physical: { type: 'array', items: fields({ name: text, builtIn: boolean, writtenBy: text }) },
  calculated: { type: 'array', items: fields({ name: text, terms: objects }) },
});
/** An email template (built-in ones have no timestamps). */
export const emailTemplateSchema = fields(
  { id: text, builtIn: boolean, subject: text, text },
  { html: text, ...stamped }
);
/** A message sent or queued (`GET /api/v1/outbox`). */
export const outboxMessageSchema = fields(
  { id: text, orderId: text, templateId: text, to: text, subject: text, text, status: text },
  { html: text }
);
/** A raised alert. */
export const alertSchema = fields({
  id: text,
  ruleId: text,
  ruleName: text,
  ruleKind: text,
  severity: text,
  entityType: text,
  entityId: text,
  state: text,
  message: text,
  raisedAt: text,
});
/** The answer of `POST /api/v1/alerts/evaluate`. */
export const alertEvaluationSchema = fields({
  evaluatedAt: text,
  rules: integer,
  raised: { type: 'array', items: alertSchema },
  failed: objects,
});
/** An alert rule as saved. */
export const alertRuleSchema = fields({
  id: text,
  enabled: boolean,
  recipients: texts,
  severity: text,
  ...stamped,
});
/** A built-in provider's definition. */
export const providerDefinitionSchema = fields({ id: text });
/** A provider instance as shown (secrets never). */
export const providerInstanceSchema = fields({ id: text, provider: text, active: boolean });
/** A mapping group as saved. */
export const mappingGroupSchema = fields({ id: text, mappings: objects });
/** A transformation with its versions. */
export const transformationSchema = fields({ id: text, messageType: text, versions: objects, ...stamped });
/** The answer of `POST /api/v1/transformations/preview`. */
export const transformationPreviewAnswerSchema = fields({ output: {}, errors: objects });
/** `GET /api/v1/config/export`: a configuration bundle. */
export const configBundleAnswerSchema = fields({ format: text, version: integer, items: objects });
/** The answer of `POST /api/v1/config/import` (a dry run says what an import would change). */
export const configImportAnswerSchema = fields({ dryRun: boolean, secretsToSet: objects });
/** The answer of a provider webhook once queued. */
export const webhookAcceptedSchema = fields({ duplicate: boolean, messageId: text, messageType: text });
const supplyOrderLines = {
  type: 'array',
  items: fields({ lineId: text, sku: text, quantity: number, open: number }),
} as const;
const supplyOrderBase = { id: text, state: text, lines: supplyOrderLines, receipts: objects, ...stamped };

/** A purchase order (shared/http/supply-order-view.ts: each line with its `open` quantity). */
export const purchaseOrderSchema = fields({
  ...supplyOrderBase,
  kind: { const: 'purchaseOrder' },
  sourceId: text,
  expectedDate: text,
});
/** A transfer order (shared/http/supply-order-view.ts). */
export const transferOrderSchema = fields({
  ...supplyOrderBase,
  kind: { const: 'transferOrder' },
  fromSourceId: text,
  toSourceId: text,
  shipDate: text,
  expectedDate: text,
});
/** The answer to a receipt: the order as it is now. */
export function supplyReceiptAnswerSchema(order: object): object {
  return fields({ duplicate: boolean, order });
}
/** A return (shared/http/return-view.ts). */
export const returnSchema = fields(
  {
    id: text,
    orderId: text,
    state: text,
    lines: objects,
    origin: text,
    creditNoteId: nullableText,
    journey: { oneOf: [{ type: 'null' }, fields({ journeyId: text, version: integer })] },
    createdAt: text,
    updatedAt: text,
  },
  { stateReason: text, externalId: text }
);
/** The answer of `POST /api/v1/returns`. */
export const returnCreatedSchema = { allOf: [returnSchema, fields({ returnId: text, duplicate: boolean })] };
/** The answer of `POST /api/v1/returns/locations`. */
export const returnLocationAnswerSchema = fields({
  strategyId: text,
  objectiveType: { enum: ['distance', 'cost'] },
  location: { oneOf: [{ type: 'null' }, fields({ sourceId: text, name: text, distanceKm: number })] },
  relaxed: texts,
});
/** The answer of `POST /api/v1/fulfillment/plan`. */
export const planAnswerSchema = fields({
  strategyId: text,
  objectiveType: text,
  simulation: boolean,
  planLines: objects,
  shipments: integer,
  unsourcedUnits: number,
  solver: fields({ status: text, seconds: number, groups: integer }),
});
/** An invoice or credit note of an order. */
export const invoiceSchema = fields({ id: text, type: text, orderId: text, currency: text, total: number });
/** Inventory measures of one row (`POST /api/v1/inventory/query`). */
export const inventoryItemSchema = fields({
  sku: text,
  sourceId: nullableText,
  measures: { type: 'object', additionalProperties: number },
});
/** The answer of the on-hand change routes. */
export const inventoryChangeSummarySchema = fields({
  results: objects,
  applied: integer,
  duplicates: integer,
  errors: integer,
});
/** A reservation as made (`POST /api/v1/inventory/reserve`; a repeat answers the same). */
export const reservationSchema = fields(
  { reservationId: text, sku: text, sourceId: text, quantity: number, createdAt: text },
  { dimensions: object, allocationGroup: object }
);
/** The answer of `POST /api/v1/inventory/unreserve`. */
export const unreserveAnswerSchema = fields({
  reservationId: text,
  sku: text,
  sourceId: text,
  released: number,
  remaining: number,
  quantity: number,
});
/** The answer of an allocation operation. */
export const allocationAnswerSchema = fields({
  id: text,
  operation: text,
  sku: text,
  sourceId: text,
  quantity: number,
  allocations: objects,
});
/** One row of `POST /api/v1/inventory/allocation/query`. */
export const allocationItemSchema = fields({ sku: text, sourceId: text, channel: text, allocated: number });
/** The answer of `POST /api/v1/inventory/atp`. */
export const atpAnswerSchema = fields({
  startDate: text,
  days: integer,
  measure: { const: 'availableToReserve' },
  items: objects,
});
/** The answer of `POST /api/v1/inventory/holds/check`. */
export const holdCheckAnswerSchema = fields({
  orderId: text,
  lines: { type: 'array', items: fields({ lineId: text, sku: text, quantity: number, outcome: text }) },
});
/** The answer of `POST /api/v1/inventory/holds/recheck`. */
export const holdRecheckAnswerSchema = fields({
  checkedAt: text,
  released: objects,
  backordered: objects,
  cancelled: objects,
  closed: objects,
  kept: integer,
  failed: objects,
});
/** A held order line. */
export const inventoryHoldSchema = fields({
  id: text,
  orderId: text,
  lineId: text,
  sku: text,
  quantity: number,
  kind: text,
  state: text,
});
/** Counts of a master-data upsert. */
const upsertCounts = {
  items: integer,
  created: integer,
  updated: integer,
  unchanged: integer,
  failed: integer,
};
/** The answer of `POST /api/v1/master-data/{entity}/bulk`. */
export const masterDataBulkAnswerSchema = fields({ entity: text, ...upsertCounts, errors: objects });
/** A master-data file import's progress or report. */
export const masterDataImportSchema = fields({
  importId: text,
  entity: text,
  file: text,
  status: { enum: ['running', 'completed', 'failed'] },
  startedAt: text,
  rows: integer,
  processed: integer,
  errors: objects,
  ...upsertCounts,
});
/** An account, price list or unit as saved: the fields of its PUT body, its key included. */
export function masterDataRecordSchema(keyField: string): object {
  return fields({ [keyField]: text });
}
/** `GET /api/openapi.json`. */
export const openApiAnswerSchema = fields({ openapi: text, info: object, paths: object });
/** `GET /api/openapi2.json`. */
export const swagger2AnswerSchema = fields({ swagger: { const: '2.0' }, info: object, paths: object });

const counts = (names: readonly string[]) => fields(Object.fromEntries(names.map((name) => [name, integer])));
const errorStatusCounts = counts(errorStatuses);

/** `GET /api/v1/metrics` (shared/app/metrics/read-metrics.ts, docs/metrics.md). */
export const metricsSchema = fields({
  at: { type: 'string', format: 'date-time' },
  intake: counts(['received', 'duplicates', 'rejected']),
  orders: fields({
    total: integer,
    byState: { ...fields({ other: integer }), additionalProperties: integer },
  }),
  journeys: counts(journeyStatus),
  errorLists: {
    allOf: [
      errorStatusCounts,
      fields({
        byList: fields(Object.fromEntries(errorListNames.map((list) => [list, errorStatusCounts]))),
      }),
    ],
  },
});
