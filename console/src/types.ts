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
