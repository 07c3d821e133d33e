import { CosmosOrderRepository } from '../../adapters/cosmos/order-repository';
import type { OrderRepository } from '../../ports/orders';
import { getClock, getContainer } from '../platform/wiring';
import type { OrderQueryDeps } from './get-order';

/** Orders and their timelines in `orders` (partition = order id). */
export async function getOrderRepository(): Promise<OrderRepository> {
  return new CosmosOrderRepository(await getContainer('orders'), getClock());
}

/** What reading orders needs: getOrder, listOrders, orderTimeline. */
export async function orderQueryDeps(): Promise<OrderQueryDeps> {
  return { orders: await getOrderRepository() };
}
