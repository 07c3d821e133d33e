import { createHash } from 'node:crypto';
import { CosmosReturnRepository } from '../../adapters/cosmos/return-repository';
import type { ReturnRepository } from '../../ports/returns';
import {
  createReturnSchema,
  providerReturnOutputSchema,
  returnEventSchema,
  type CreateReturnRequest,
  type ProviderReturnOutput,
  type ReturnEventRequest,
} from '../../schemas/return.schema';
import { compileValidator } from '../../schemas/validator';
import { queueEmail } from '../email/queue-email';
import { queueEmailDeps } from '../email/wiring';
import { getBusinessEventPublisher } from '../events/wiring';
import { findReturnLocation } from '../fulfillment/find-return-location';
import { getReturnLocationDeps } from '../fulfillment/wiring';
import { fulfillmentOrderDeps } from '../fulfillment-orders/wiring';
import { applyInventoryChanges } from '../inventory/apply-inventory-changes';
import { getInventoryDeps } from '../inventory/wiring';
import { createCreditNote } from '../invoices/create-credit-note';
import { createCreditNoteDeps } from '../invoices/wiring';
import { getOrderRepository } from '../orders/wiring';
import { getJourneysInForce } from '../journeys/wiring';
import { getClock, getContainer, getIdGenerator, getJourneySignals } from '../platform/wiring';
import { memo } from '../registry';
import { getStateFrameworkConfig } from '../states/wiring';
import type { ReturnDeps } from './return-deps';

/** Returns in `orders` (partition = order id). */
export async function getReturnRepository(): Promise<ReturnRepository> {
  return new CosmosReturnRepository(await getContainer('orders'), getClock());
}

function validators(): ReturnDeps['validators'] {
  return memo('validators:returns', () => ({
    createReturn: compileValidator<CreateReturnRequest>(createReturnSchema, 'return'),
    returnEvent: compileValidator<ReturnEventRequest>(returnEventSchema, 'return event'),
    providerReturn: compileValidator<ProviderReturnOutput>(providerReturnOutputSchema, 'provider return'),
  }));
}

/** What the return use cases need. */
export async function returnDeps(): Promise<ReturnDeps> {
  return {
    validators: validators(),
    orders: await getOrderRepository(),
    returns: await getReturnRepository(),
    shipped: async (orderId) => {
      const shipped: Record<string, number> = {};
      const fos = await (await fulfillmentOrderDeps()).fulfillmentOrders.forOrder(orderId);
      for (const { fulfillmentOrder } of fos) {
        for (const line of fulfillmentOrder.lines) {
          if (line.orderId !== orderId) continue;
          shipped[line.lineId] = (shipped[line.lineId] ?? 0) + line.shipped;
        }
      }
      return shipped;
    },
    findReturnLocation: async (request) => findReturnLocation(await getReturnLocationDeps(), request),
    config: await getStateFrameworkConfig(),
    journeysInForce: await getJourneysInForce(),
    signals: getJourneySignals(),
    publisher: getBusinessEventPublisher(),
    ids: getIdGenerator(),
    clock: getClock(),
    hash: (text) => createHash('sha256').update(text).digest('hex'),
    queueEmail: async (input) => {
      await queueEmail(await queueEmailDeps(), input);
    },
    createCreditNote: async (input) => createCreditNote(await createCreditNoteDeps(), input),
    restock: async ({ id, sku, sourceId, quantity }) => {
      const [result] = await applyInventoryChanges(await getInventoryDeps(), [
        { id, sku, sourceId, measure: 'onhand', quantity },
      ]);
      return result?.status === 'error'
        ? { ok: false, ...(result.message === undefined ? {} : { message: result.message }) }
        : { ok: true };
    },
  };
}
