import { CosmosFulfillmentOrderRepository } from '../../adapters/cosmos/fulfillment-order-repository';
import { CosmosOrderRepository } from '../../adapters/cosmos/order-repository';
import type { FulfillmentOrderRepository } from '../../ports/fulfillment-orders';
import type { OrderRepository } from '../../ports/orders';
import { getClock, getContainer } from '../platform/wiring';
import type { OrderQueryDeps } from './get-order';
import type { UpdateOrderDeps } from './update-order';
import { orderUpdateSchema, type OrderUpdate } from '../../schemas/order-update.schema';
import { compileValidator } from '../../schemas/validator';
import { memo } from '../registry';

/** Orders and their timelines in `orders` (partition = order id). */
export async function getOrderRepository(): Promise<OrderRepository> {
  return new CosmosOrderRepository(await getContainer('orders'), getClock());
}

/** Fulfillment orders in `orders`, in the partition of their first order. */
export async function getFulfillmentOrderRepository(): Promise<FulfillmentOrderRepository> {
  return new CosmosFulfillmentOrderRepository(await getContainer('orders'), getClock());
}

/** What reading orders needs: getOrder, listOrders, orderTimeline. */
export async function orderQueryDeps(): Promise<OrderQueryDeps> {
  return { orders: await getOrderRepository(), fulfillmentOrders: await getFulfillmentOrderRepository() };
}

/** What `PATCH /api/v1/orders/{orderId}` needs. */
export async function updateOrderDeps(): Promise<UpdateOrderDeps> {
  return {
    orders: await getOrderRepository(),
    validate: memo('validator:order-update', () =>
      compileValidator<OrderUpdate>(orderUpdateSchema, 'order change')
    ),
    clock: getClock(),
  };
}
