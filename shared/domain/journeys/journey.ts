/**
 * The journey model: how a business draws the way its orders (fulfillment orders, returns) move.
 *
 * A journey is a list of steps (`steps`, as the API names them), each a node of one of four kinds:
 * step, condition, splitter, exit. A node runs when one of its `inputEvents` is raised on the entity the
 * journey instance belongs to (events are scoped to that entity: a node never fires for another
 * order's event). The journey's `startEvent` (for orders, `New Order`) starts an instance.
 *
 * - A **step** runs one action. Its filter policy decides whether it applies (when it does not, the
 *   step is skipped and its success event raised, so the flow goes on); its execution policies check
 *   the record and may set values (a failing `critical` one fails the step, an `information` one is
 *   only recorded). On success it raises `successEvent`, on failure `failureEvent`; a failure without
 *   `failureEvent` stops the instance failed at that step, and reprocess resumes it there — by running
 *   the step again, or, when the step names `resumeOnErrorEvent`, by raising that event instead. A
 *   step with `wait` succeeds only when the awaited event (a shipment confirmation) arrives on the
 *   entity; its `timeoutEvent`, or failure, when the timeout passes first.
 * - A **condition** raises `trueEvent` when its filter policy holds for the entity, else `falseEvent`.
 * - A **splitter** raises each branch's event whose filter policy holds (a branch without a policy
 *   always runs): several branches may run.
 * - An **exit** ends the instance, completed.
 *
 * Versions follow the policies' rule: a draft is edited in place; publishing freezes a version;
 * editing a published journey makes a new draft version; an instance finishes on the version it
 * started with.
 */

export const JOURNEY_TYPES = ['order', 'fulfillmentOrder', 'return'] as const;
export type JourneyType = (typeof JOURNEY_TYPES)[number];

/** The built-in step actions; `custom` runs only the step's execution policies. */
export const JOURNEY_ACTIONS = [
  'validateOrderHeader',
  'validateOrderLines',
  'assignFulfillmentSource',
  'sendToFulfillmentOptimization',
  'softReserveInventory',
  'sendFulfillmentProcessRequest',
  'sendToFulfillment',
  'sendEmail',
  'sendToInvoice',
  'disposeReturn',
  'custom',
] as const;
export type JourneyAction = (typeof JOURNEY_ACTIONS)[number];

/**
 * Which actions fit which journey type. The order actions (validate, source, optimize, reserve, create
 * fulfillment orders) work on an order and its lines, so they run only in order journeys; sending to
 * fulfillment and to invoice work on an order's fulfillment orders or on one fulfillment order (in a
 * return journey, sending to invoice is the refund: a credit note); `disposeReturn` restocks or
 * writes off a return's lines; email and custom steps work on any entity. Order journeys take every
 * order action.
 */
export const JOURNEY_ACTIONS_BY_TYPE: Readonly<Record<JourneyType, readonly JourneyAction[]>> = {
  order: JOURNEY_ACTIONS.filter((action) => action !== 'disposeReturn'),
  fulfillmentOrder: ['sendToFulfillment', 'sendEmail', 'sendToInvoice', 'custom'],
  return: ['sendEmail', 'sendToInvoice', 'disposeReturn', 'custom'],
};

/**
 * The entity types whose business events an instance of each journey type receives: an order
 * journey runs on the order and hears its lines' events too (a line's hold release moves the order's
 * journey on), and likewise a fulfillment order journey. The same entity types are those of the
 * policies a journey of that type may reference (there are no return policies yet, so a return
 * journey references none).
 */
export const JOURNEY_ENTITY_TYPES = {
  order: ['order', 'orderLine'],
  fulfillmentOrder: ['fulfillmentOrder', 'fulfillmentOrderLine'],
  return: ['return'],
} as const satisfies Readonly<Record<JourneyType, readonly string[]>>;

/**
 * The event that starts an instance when a journey does not name one: the catalogue's creation event
 * of the entity (`New Order`, `Creation of Fulfillment Order Succeeded`, `Return Created`).
 */
export const DEFAULT_START_EVENTS: Readonly<Record<JourneyType, string>> = {
  order: 'New Order',
  fulfillmentOrder: 'Creation of Fulfillment Order Succeeded',
  return: 'Return Created',
};

export const JOURNEY_STATUSES = ['draft', 'published', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

/** An external event a step waits for after it succeeded, e.g. the shipment of a fulfillment order. */
export interface StepWait {
  /** The business event that ends the wait (raised on the instance's entity). */
  readonly event: string;
  readonly timeoutSeconds: number;
  /** Raised when the timeout passes first; absent: the instance fails at this step. */
  readonly timeoutEvent?: string;
}

/** A provider's action called by the step (outbound integrations). */
export interface StepProviderAction {
  readonly instanceId: string;
  readonly action: string;
}

export interface JourneyStep {
  readonly kind: 'step';
  /** Unique within the journey; errors, step results and the timeline name it. */
  readonly name: string;
  readonly action: JourneyAction;
  readonly inputEvents: readonly string[];
  readonly filterPolicyId?: string;
  readonly executionPolicyIds?: readonly string[];
  readonly providerAction?: StepProviderAction;
  readonly successEvent?: string;
  readonly failureEvent?: string;
  readonly resumeOnErrorEvent?: string;
  /** The email template a `sendEmail` step renders. */
  readonly emailTemplateId?: string;
  readonly wait?: StepWait;
}

export interface JourneyCondition {
  readonly kind: 'condition';
  readonly name: string;
  readonly inputEvents: readonly string[];
  readonly filterPolicyId: string;
  readonly trueEvent: string;
  readonly falseEvent: string;
}

export interface SplitterBranch {
  /** Raised when the branch applies. */
  readonly event: string;
  /** The branch applies when this filter policy holds; absent: always. */
  readonly filterPolicyId?: string;
}

export interface JourneySplitter {
  readonly kind: 'splitter';
  readonly name: string;
  readonly inputEvents: readonly string[];
  readonly branches: readonly SplitterBranch[];
}

export interface JourneyExit {
  readonly kind: 'exit';
  readonly name: string;
  readonly inputEvents: readonly string[];
}

export type JourneyNode = JourneyStep | JourneyCondition | JourneySplitter | JourneyExit;

export type JourneyNodeKind = JourneyNode['kind'];

export interface Journey {
  readonly id: string;
  readonly name: string;
  readonly type: JourneyType;
  /** The event that starts an instance on an entity of this type (for orders: `New Order`). */
  readonly startEvent: string;
  readonly steps: readonly JourneyNode[];
  readonly version: number;
  readonly status: JourneyStatus;
}

/** The events a node raises, whatever the outcome. */
export function eventsRaisedBy(node: JourneyNode): string[] {
  switch (node.kind) {
    case 'step':
      return [
        node.successEvent,
        node.failureEvent,
        node.resumeOnErrorEvent,
        node.wait?.timeoutEvent,
        // A wait without a success event goes on with the awaited event itself.
        node.successEvent === undefined ? node.wait?.event : undefined,
      ].filter((event): event is string => event !== undefined);
    case 'condition':
      return [node.trueEvent, node.falseEvent];
    case 'splitter':
      return node.branches.map((branch) => branch.event);
    case 'exit':
      return [];
  }
}
