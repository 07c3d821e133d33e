/** The API's answers as the console reads them (docs/api.md); only the fields it shows. */

export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export interface JourneyStatus {
  id: string;
  version: number;
  status: 'running' | 'waiting' | 'paused' | 'failed' | 'completed' | 'cancelled';
  step: string | null;
  resumeFrom?: { step: string; event: string; reason: string };
  waitingFor?: { step: string; event: string; until: string }[];
}

export interface OrderLine {
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice?: number;
  state: string;
  stateReason: string | null;
}

export interface Order {
  orderId: string;
  externalId: string;
  channel: string;
  currency: string;
  customer: { email?: string; name?: string; accountId?: string };
  shipTo: { line1?: string; city?: string; state?: string; postalCode: string; country: string };
  state: string;
  stateReason: string | null;
  lines: OrderLine[];
  fulfillmentOrders: { id: string; sourceId: string; state: string }[];
  journey: JourneyStatus | null;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEntry {
  at: string;
  kind: 'event' | 'step' | 'error';
  name: string;
  entityType: string;
  entityId: string;
  fromState?: string;
  toState?: string;
  reason?: string;
  detail?: string;
}

export interface FulfillmentOrder {
  id: string;
  sourceId: string;
  state: string;
  stateReason: string | null;
  lines: {
    orderId: string;
    lineId: string;
    sku: string;
    quantity: number;
    state: string;
    shipped: number;
    delivered: number;
    cancelled: number;
  }[];
  shipments: { carrier: string; trackingNumber: string; url?: string; shippedAt: string; lines: unknown }[];
  sentAt: string | null;
  createdAt: string;
}

export interface OrderReturn {
  id: string;
  state: string;
  lines: { lineId: string; sku: string; quantity: number; reason: string; disposition?: string }[];
  returnLocation?: { sourceId?: string; name?: string };
  creditNoteId: string | null;
  createdAt: string;
}

export interface InvoiceDocument {
  id: string;
  type: 'invoice' | 'creditNote';
  fulfillmentOrderId?: string;
  returnId?: string;
  currency: string;
  lines: { lineId: string; sku: string; quantity: number }[];
  subtotal: number;
  taxTotal: number;
  total: number;
  createdAt: string;
}

export interface JourneyNode {
  kind: 'step' | 'condition' | 'splitter' | 'exit';
  name: string;
  action?: string;
  inputEvents: string[];
  wait?: { event: string };
}

export interface JourneyDefinition {
  id: string;
  name: string;
  type: string;
  version: number;
  status: string;
  startEvent: string;
  steps: JourneyNode[];
}

export interface ErrorEntry {
  id: string;
  kind: string;
  createdAt: string;
  updatedAt?: string;
  source: string;
  step?: string;
  messageId?: string;
  message: string;
  detail?: string;
  payload?: string;
  queue?: string;
  orderId?: string;
  status: 'open' | 'resubmitted' | 'dismissed';
  attempts: number;
  resubmittedAt?: string;
}

export interface JourneyVersion extends JourneyDefinition {
  createdAt: string;
  updatedAt: string;
  /** Only on `GET /api/v1/journeys/{id}`: every version's summary and the one in force. */
  versions?: { version: number; status: string; createdAt: string; updatedAt: string }[];
  publishedVersion?: number | null;
}

/** A node of a journey definition with the events it raises (the fields each kind has). */
export interface JourneyNodeWiring extends JourneyNode {
  successEvent?: string;
  failureEvent?: string;
  trueEvent?: string;
  falseEvent?: string;
  branches?: { event: string; filterPolicyId?: string }[];
  filterPolicyId?: string;
  executionPolicyIds?: string[];
}

export type Counts = Record<string, number>;

export interface Metrics {
  at: string;
  intake: { received: number; duplicates: number; rejected: number };
  orders: { total: number; byState: Counts };
  journeys: Counts;
  errorLists: Counts & { byList: Record<string, Counts> };
}

export interface InventoryRow {
  sku: string;
  sourceId: string | null;
  measures: Counts;
}

export interface AtpDay {
  date: string;
  onHand: number;
  supply: number;
  demand: number;
  projected: number;
  atp: number;
}

export interface AtpAnswer {
  startDate: string;
  days: number;
  items: { sku: string; sourceId: string; days: AtpDay[] }[];
}

export interface InventoryHold {
  id: string;
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  sourceId?: string;
  kind: 'backorder' | 'preorder';
  state: 'held' | 'released' | 'cancelled';
  queuedAt: string;
  heldAt: string;
  estimatedAvailableDate?: string | null;
  launchDate?: string;
  releasedAt?: string;
}

export interface ProviderDefinition {
  id: string;
  name: string;
  description: string;
  serviceTypes: string[];
  secrets: { name: string }[];
  messageTypes: { name: string; description: string }[];
  inbound: { webhook: boolean; polling: boolean; fileDrop: boolean };
}

export interface ProviderInstance {
  id: string;
  provider: string;
  name?: string;
  active: boolean;
  mappingGroupId?: string;
  transformations?: Record<string, string>;
  /** Which secrets are set: never their values. */
  secrets: Record<string, { set: boolean }>;
  updatedAt: string;
}

export interface MappingGroup {
  id: string;
  name?: string;
  mappings: { type: string; external: string; internal: string }[];
}

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: string;
  entityType: string;
  entityId: string;
  orderId?: string;
  state: 'open' | 'acknowledged';
  message: string;
  raisedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
}

export interface AlertRule {
  id: string;
  name: string;
  kind: string;
  after?: { minutes?: number; hours?: number; days?: number };
  minEntries?: number;
  withinMinutes?: number;
  list?: string;
  severity: string;
  enabled: boolean;
  recipients: string[];
}
