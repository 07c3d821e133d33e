import { DurableJourneyInstances } from '../../adapters/durable/durable-journey-instances';
import type { Journey } from '../../domain/journeys/journey';
import type { JourneyInstances } from '../../ports/journey-instances';
import type { JourneyRef } from '../../domain/journeys/journey-signal';
import type { Policy } from '../../domain/policies';
import { getErrorListRepository } from '../error-lists/wiring';
import { getBusinessEventPublisher, raiseEventDeps } from '../events/wiring';
import { raiseBusinessEvent } from '../events/raise-business-event';
import { cancelOrderFulfillment } from '../fulfillment-orders/cancel-order-fulfillment';
import { unreserveInventory } from '../inventory/unreserve-inventory';
import { getInventoryDeps } from '../inventory/wiring';
import type { CancelOrderDeps } from './cancel-order';
import { cancelOrderJourney } from './order-journey';
import { getStrategiesForPlanning, planActivityDeps } from '../fulfillment/wiring';
import { holdOrderLinesDeps } from '../inventory/holds/wiring';
import { journeyDeps } from '../journeys/wiring';
import { getOrderRepository, orderQueryDeps } from '../orders/wiring';
import type { OrderQueryDeps } from '../orders/get-order';
import { getClock } from '../platform/wiring';
import { getPolicyRepository } from '../policies/wiring';
import { getProductRepository } from '../products/wiring';
import { memo } from '../registry';
import { getStateFrameworkConfig } from '../states/wiring';
import { orderActions, type FulfillmentOrderActions, type MessageActions } from './order-actions';
import { fulfillmentOrderActions } from './fulfillment-order-actions';
import { createFulfillmentOrders } from '../fulfillment-orders/create-fulfillment-orders';
import { raiseFulfillmentOrderEvent } from '../fulfillment-orders/raise-fulfillment-order-event';
import { sendFulfillmentOrders } from '../fulfillment-orders/send-fulfillment-orders';
import { fulfillmentOrderDeps } from '../fulfillment-orders/wiring';
import { queueEmail } from '../email/queue-email';
import { queueEmailDeps } from '../email/wiring';
import { createInvoice } from '../invoices/create-invoice';
import { sendInvoices } from '../invoices/send-invoices';
import { createInvoiceDeps, sendInvoicesDeps } from '../invoices/wiring';
import type { JourneyStepDeps } from './run-journey-step';
import { addFulfillmentOrderReference } from '../fulfillment-orders/add-external-reference';
import { applyStatusEvent } from '../fulfillment-orders/apply-status-event';
import { providerActionRunner } from '../provider-actions/wiring';
import { disposeReturn, refundReturn } from '../returns/record-return-event';
import { raiseOnStoredReturn } from '../returns/raise-on-stored-return';
import { returnDeps } from '../returns/wiring';
import type { ReturnStepDeps } from './return-steps';
import { returnActions } from './return-actions';

/** A published journey version never changes: each is read once per worker. */
function journeyVersions(): Map<string, Promise<Journey>> {
  return memo('journeys.versions', () => new Map<string, Promise<Journey>>());
}

/** The journey version an instance runs (the one it started with). */
export async function loadJourneyVersion(ref: Pick<JourneyRef, 'journeyId' | 'version'>): Promise<Journey> {
  const key = `${ref.journeyId}@${ref.version}`;
  const cache = journeyVersions();
  let found = cache.get(key);
  if (found === undefined) {
    found = (async () => {
      const { journeys } = await journeyDeps();
      const stored = (await journeys.versions(ref.journeyId)).find((v) => v.journey.version === ref.version);
      if (stored === undefined) throw new Error(`No journey ${ref.journeyId} version ${ref.version}.`);
      return stored.journey;
    })();
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}

/** The published version of a policy a step references. */
async function publishedPolicy(policyId: string): Promise<Policy> {
  const versions = await (await getPolicyRepository()).versions(policyId);
  const published = versions.find((v) => v.policy.status === 'published');
  if (published === undefined) throw new Error(`Policy ${policyId} has no published version.`);
  return published.policy;
}

/** What the step activity needs: the order, the journey, policies, the state framework, the actions. */
export async function journeyStepDeps(): Promise<JourneyStepDeps> {
  const orders = await getOrderRepository();
  const config = await getStateFrameworkConfig();
  return {
    orders,
    journey: loadJourneyVersion,
    policy: publishedPolicy,
    config,
    publisher: getBusinessEventPublisher(),
    errors: await getErrorListRepository(),
    clock: getClock(),
    actions: orderActions({
      orders,
      products: await getProductRepository(),
      strategies: await getStrategiesForPlanning(),
      config,
      plan: planActivityDeps,
      holds: holdOrderLinesDeps,
      fulfillmentOrders: () => Promise.resolve(fulfillmentOrderActionsOf),
      messages: () => Promise.resolve(messageActions),
    }),
    fulfillmentOrderSteps: {
      get: async (id, homeOrderId) =>
        (await (await fulfillmentOrderDeps()).fulfillmentOrders.get(id, homeOrderId))?.fulfillmentOrder,
      raise: async (fulfillmentOrderId, name, eventId) => {
        await raiseFulfillmentOrderEvent(await fulfillmentOrderDeps(), { fulfillmentOrderId, name, eventId });
      },
      ship: async (fulfillmentOrderId, eventId, tracking) => {
        await applyStatusEvent(await fulfillmentOrderDeps(), fulfillmentOrderId, {
          id: eventId,
          type: 'shipped',
          tracking,
        });
      },
      addExternalReference: async (fulfillmentOrderId, reference) => {
        await addFulfillmentOrderReference(await fulfillmentOrderDeps(), fulfillmentOrderId, reference);
      },
      actions: fulfillmentOrderActions({
        orders,
        fulfillmentOrders: () => Promise.resolve(fulfillmentOrderActionsOf),
        messages: () => Promise.resolve(messageActions),
      }),
    },
    providerActions: providerActionRunner,
    sendInvoices: async (request, invoices) => sendInvoices(await sendInvoicesDeps(), request, invoices),
    returnSteps,
  };
}

/** Returns as the return journey's steps use them (the return use cases). */
const returnSteps: ReturnStepDeps = {
  get: async (returnId) => (await (await returnDeps()).returns.get(returnId))?.orderReturn,
  raise: async (returnId, name, eventId) => {
    await raiseOnStoredReturn(await returnDeps(), returnId, { id: eventId, name });
  },
  actions: returnActions({
    email: async (orderReturn, templateId, key) => {
      const order = await (await getOrderRepository()).get(orderReturn.orderId);
      if (!order?.customer.email) return false;
      await messageActions.queueEmail({
        key,
        orderId: orderReturn.orderId,
        templateId,
        model: { order, orderReturn, returnLocation: orderReturn.returnLocation },
      });
      return true;
    },
    refund: async (orderReturn) => {
      const refunded = await refundReturn(await returnDeps(), orderReturn);
      return refunded.creditNoteId ?? '';
    },
    dispose: async (orderReturn) => {
      await disposeReturn(await returnDeps(), orderReturn);
    },
  }),
};

/** Journey instances through the Durable client the invocation was given. */
export function journeyInstances(
  client: ConstructorParameters<typeof DurableJourneyInstances>[0]
): JourneyInstances {
  return new DurableJourneyInstances(client);
}

export { journeyFunctions, journeyOrchestrator } from '../../adapters/durable/journey-orchestrator';
export { journeySignalsQueueName } from '../../ports/binding-names';

/** Email and invoices as the journey steps use them. */
const messageActions: MessageActions = {
  queueEmail: async (input) => {
    await queueEmail(await queueEmailDeps(), input);
  },
  createInvoice: async (input) => createInvoice(await createInvoiceDeps(), input),
};

/** Fulfillment orders as the journey steps use them. */
const fulfillmentOrderActionsOf: FulfillmentOrderActions = {
  create: async (input) => {
    const made = await createFulfillmentOrders(await fulfillmentOrderDeps(), input);
    return {
      fulfillmentOrderIds: made.fulfillmentOrders.map((fo) => fo.id),
      ...(made.notMerged
        ? { notMerged: made.notMerged.map((n) => `${n.fulfillmentOrderId}: ${n.reason}`) }
        : {}),
    };
  },
  send: async (input) => sendFulfillmentOrders(await fulfillmentOrderDeps(), input),
  of: async (orderId) =>
    (await (await fulfillmentOrderDeps()).fulfillmentOrders.forOrder(orderId)).map((v) => v.fulfillmentOrder),
};

/** What cancelling an order needs: its fulfillment orders, reservations, line events and journey. */
export async function cancelOrderDeps(instances: JourneyInstances): Promise<CancelOrderDeps> {
  const orders = await getOrderRepository();
  return {
    orders,
    config: await getStateFrameworkConfig(),
    cancelFulfillment: async (orderId, eventIdPrefix) => {
      await cancelOrderFulfillment(await fulfillmentOrderDeps(), { orderId, eventIdPrefix });
    },
    unreserve: async (reservationId, sku) => {
      await unreserveInventory(await getInventoryDeps(), { reservationId, sku });
    },
    raiseOnLine: async (orderId, lineId, name, id) => {
      await raiseBusinessEvent(await raiseEventDeps(), {
        id,
        name,
        entityType: 'orderLine',
        entityId: lineId,
        orderId,
      });
    },
    endJourney: (order, reason) => cancelOrderJourney({ instances }, order, reason),
    queueEmail: (input) => messageActions.queueEmail(input),
  };
}

/** What reading an order with its journey, and the operations on that journey, need. */
export async function orderJourneyDeps(
  client: ConstructorParameters<typeof DurableJourneyInstances>[0]
): Promise<OrderQueryDeps & { instances: JourneyInstances }> {
  return { ...(await orderQueryDeps()), instances: journeyInstances(client) };
}
