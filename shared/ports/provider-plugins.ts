import type { ValidationIssue } from '../domain/errors';
import type { FulfillmentOrder } from '../domain/fulfillment-orders/fulfillment-order';
import type { OpenShipment } from '../domain/fulfillment-orders/open-shipments';
import type { Invoice } from '../domain/invoices/invoice';
import type { Order } from '../domain/orders/order';
import type { ProviderDefinition } from '../domain/providers/provider-definition';

/** One configured connection as a plug-in sees it: its parameters and secrets (never logged). */
export interface ProviderConnection {
  instanceId: string;
  parameters: Readonly<Record<string, string | number | boolean>>;
  secrets: Readonly<Record<string, string>>;
}

/** A webhook request as received: the headers and the body's exact bytes (signatures cover them). */
export interface WebhookRequest {
  headers: { get(name: string): string | null };
  /**
   * The webhook URL's query parameters: where a provider signs nothing and sets no custom header
   * (ShipStation V1), a secret token in the URL is what authenticates it.
   */
  query?: { get(name: string): string | null };
  rawBody: Buffer;
}

export type WebhookCheck =
  /** Authentic: the message's type and the provider's delivery id (what duplicates share). */
  | { ok: true; messageType: string; deliveryId: string }
  /** Not authentic (401) or not a message we can take (400): nothing is stored. */
  | { ok: false; status: 400 | 401; reason: string };

/** An answer of a provider's API. */
export interface ProviderResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export interface ProviderRequest {
  method?: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /**
   * The request and its successful answer carry credentials (an OAuth token request and the token):
   * a recorder keeps neither body.
   */
  carriesCredentials?: boolean;
}

/**
 * How long to wait before trying a request again, as the provider signals it (Retry-After, a rate
 * limit reset header); undefined: do not retry this answer.
 */
export type RetryDelay = (response: ProviderResponse, attempt: number) => number | undefined;

/**
 * The one HTTP client of provider calls: a timeout per attempt, and retries with backoff on 429 and
 * 5xx that honour what the provider says about when to come back. A final answer that is not 2xx is
 * a ProviderCallError.
 */
export interface ProviderHttp {
  request(request: ProviderRequest, retryDelay?: RetryDelay): Promise<ProviderResponse>;
}

/** A message a poller brought back: its type, its id at the provider, and the body. */
export interface PolledMessage {
  messageType: string;
  /** Unique per version of the provider's record (e.g. `{id}@{updated_at}`). */
  messageId: string;
  /** The message's JSON text exactly as the provider sent it (ids beyond 2^53 intact). */
  text: string;
}

/** Where a poll stands: JSON values only, stored as the instance's checkpoint. */
export interface PollPosition {
  /** Where the next run starts (e.g. an `updated_at` watermark); absent: from the beginning. */
  since?: string;
  /** Mid-run: the next page to fetch. Absent once a run has read every page. */
  cursor?: string;
  /** Mid-run: the newest `since` seen so far, the next run's start once this one ends. */
  highWater?: string;
  /** Mid-run: where this run stops (records changed after it are the next run's). */
  until?: string;
}

export interface PolledPage {
  messages: PolledMessage[];
  /** The position after this page; without `cursor` the run is complete. */
  position: PollPosition;
}

export type { OpenShipment };

export interface OrderPoller {
  /**
   * Set on a tracking poller (a carrier without push tracking): the app passes `nextPage` the open
   * shipments of these carriers (compared case-insensitively), the same list for every page of a run.
   */
  tracksCarriers?: readonly string[];
  /** The page at `position` (a run starts with `since` only). */
  nextPage(
    connection: ProviderConnection,
    position: PollPosition,
    http: ProviderHttp,
    now: Date,
    openShipments?: readonly OpenShipment[]
  ): Promise<PolledPage>;
  /** Tells the provider the messages are safely queued (a bucket that keeps them until then). */
  acknowledge?(
    connection: ProviderConnection,
    messages: readonly PolledMessage[],
    http: ProviderHttp
  ): Promise<void>;
}

/** The entity a journey step acts on, as a provider action sees it (read-only copies). */
export type ActionSubject =
  | { type: 'order'; order: Order }
  | { type: 'fulfillmentOrder'; fulfillmentOrder: FulfillmentOrder; orders: Order[] }
  /** An invoice a "send to invoice" step made, with its order: one call per invoice. */
  | { type: 'invoice'; invoice: Invoice; order: Order };

/** One run of a provider action by a journey step. */
export interface ActionCall {
  /** The parameters and secrets of the instance the step names. */
  connection: ProviderConnection;
  /** The action's name in the definition, e.g. `calculateTax`. */
  action: string;
  subject: ActionSubject;
  /**
   * Stable per step run (retries and reprocess of the same run share it): use it where the API has
   * idempotency keys or client references.
   */
  idempotencyKey: string;
  now: Date;
}

/** What an action changes on our side: pure data; the app applies it in the step's own write. */
export type ActionEffect =
  /** Tax per order line and in total, in minor units, with the provider's document code. */
  | {
      type: 'orderLineTax';
      documentCode: string;
      lines: { lineId: string; tax: number }[];
      totalTax: number;
    }
  /** A shipment on the fulfillment order; `raiseShipped`: its `shipped` event (all open lines). */
  | {
      type: 'shipment';
      carrier: string;
      trackingNumber: string;
      url?: string;
      labelUrl?: string;
      raiseShipped: boolean;
    }
  /** The subject's id in another system (e.g. a 3PL order id, an ERP sales order number). */
  | { type: 'externalReference'; system: string; id: string }
  /** An answer kept for the timeline (e.g. rates, a freight tender answer). */
  | { type: 'record'; name: string; data: Record<string, unknown> };

export interface ActionAnswer {
  effects: ActionEffect[];
  /** One line for the timeline. */
  detail: string;
}

/**
 * Runs one action against the provider. A provider's refusal is a ProviderCallError with the
 * provider's own message; handlers never log and never put secrets in messages.
 */
export type ProviderActionHandler = (call: ActionCall, http: ProviderHttp) => Promise<ActionAnswer>;

/** A built-in provider: its definition and the code its definition needs. */
export interface ProviderPlugin {
  definition: ProviderDefinition;
  /** Checks a webhook's authenticity and names its message (absent: the provider sends none). */
  verifyWebhook?(connection: ProviderConnection, request: WebhookRequest): WebhookCheck;
  poller?: OrderPoller;
  /**
   * Turns a thin message (ids only) into the full input of its transformation by calling the
   * provider's API; absent: the message is the input.
   */
  enrich?(
    connection: ProviderConnection,
    messageType: string,
    body: unknown,
    http: ProviderHttp
  ): Promise<unknown>;
  /** The actions journey steps can run, by name (each one listed in the definition's `actions`). */
  actions?: Readonly<Record<string, ProviderActionHandler>>;
  /**
   * Checks parameters whose rules a parameter type cannot say (e.g. JSON text of action specs) when
   * an instance is saved: issues at `/parameters/...`.
   */
  checkParameters?(parameters: Readonly<Record<string, string | number | boolean>>): ValidationIssue[];
}

/** The built-in providers by id. */
export interface ProviderPlugins {
  get(id: string): ProviderPlugin | undefined;
  all(): readonly ProviderPlugin[];
}
