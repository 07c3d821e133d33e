/**
 * A provider definition: what one kind of external system can do with us (IOM's model). Built-in
 * providers ship one each; an instance (a configured connection) names its definition.
 */

export type ParameterType = 'string' | 'url' | 'integer' | 'boolean';

export interface ProviderParameter {
  name: string;
  description: string;
  type: ParameterType;
  required: boolean;
  default?: string | number | boolean;
}

export interface ProviderSecret {
  name: string;
  description: string;
  required: boolean;
}

/** What the order made from a message is for. */
export type MessageIntent =
  /** Create the order (once per external id); an existing one is left as it is. */
  | 'create'
  /** Create it if it is new; an existing one is cancelled when the output says `cancelled: true`. */
  | 'upsert'
  /** The provider cancelled it: cancel ours, creating it first if this is the first we hear of it. */
  | 'cancel'
  /**
   * Not an order: a status event of one of our fulfillment orders (a carrier's or 3PL's callback).
   * The transformation's output is `{fulfillmentOrderId, event}`, `event` as
   * `POST /api/v1/fulfillment-orders/{id}/events` takes it.
   */
  | 'fulfillmentOrderEvent'
  /**
   * Not an order: a refund or return of one of the provider's orders. The transformation's output
   * is `{orderExternalId, externalId, lines: [{lineId, quantity, disposition, reason?}], refunded}`
   * (ProviderReturnOutput, docs/returns.md).
   */
  | 'return';

export interface MessageType {
  name: string;
  description: string;
  intent: MessageIntent;
}

export interface ProviderAction {
  name: string;
  description: string;
}

/** The kinds of service a provider gives; one provider may give several. */
export type ProviderServiceType =
  'order-intake' | 'tax' | 'carrier' | 'fulfillment' | 'freight' | 'erp' | 'storefront' | 'invoicing';

export interface ProviderDefinition {
  id: string;
  name: string;
  description: string;
  /** The main service (the first of `serviceTypes`), kept as API answers always had it. */
  serviceType: ProviderServiceType;
  /** Every service the provider gives. */
  serviceTypes: ProviderServiceType[];
  parameters: ProviderParameter[];
  secrets: ProviderSecret[];
  messageTypes: MessageType[];
  actions: ProviderAction[];
  /** How messages arrive: signed webhooks, a poller on a timer, files in `order-imports/{instanceId}/`. */
  inbound: { webhook: boolean; polling: boolean; fileDrop: boolean };
  /** More than one active instance (e.g. several stores) may exist. */
  allowsMultipleInstances: boolean;
  /** The built-in JSONata transformation per message type. */
  transformations: Readonly<Record<string, string>>;
}

/** Message types every instance accepts from file drops, with their built-in transformations. */
export const fileMessageTypes: readonly MessageType[] = [
  { name: 'order-rows', description: 'The rows of one order in a CSV or XLSX file', intent: 'create' },
  {
    name: 'x12-850',
    description: 'An X12 850 purchase order (one transaction set of a file)',
    intent: 'create',
  },
];

/** The polling parameters every polling provider has. */
export const pollingParameters: readonly ProviderParameter[] = [
  {
    name: 'polling',
    description:
      'Whether the poller runs for this instance (webhooks, where the provider sends them, arrive either way)',
    type: 'boolean',
    required: false,
    default: false,
  },
  {
    name: 'pollIntervalSeconds',
    description: 'Seconds between polls',
    type: 'integer',
    required: false,
    default: 60,
  },
];
