import { ValidationError } from '../../domain/errors';
import type { OrderReturn } from '../../domain/returns/order-return';
import { orderNotFound } from '../orders/get-order';
import { returnNotFound } from './raise-on-stored-return';
import type { ReturnDeps } from './return-deps';

/** `GET /api/v1/returns/{returnId}`: the return, or NotFoundError `return-not-found`. */
export async function getReturn(deps: Pick<ReturnDeps, 'returns'>, returnId: string): Promise<OrderReturn> {
  const stored = await deps.returns.get(returnId);
  if (stored === undefined) throw returnNotFound(returnId);
  return stored.orderReturn;
}

/** `GET /api/v1/returns?orderId=`: the order's returns, oldest first; NotFoundError for an unknown order. */
export async function listReturns(
  deps: Pick<ReturnDeps, 'returns' | 'orders'>,
  orderId: string | undefined
): Promise<OrderReturn[]> {
  if (orderId === undefined || orderId === '') {
    throw new ValidationError('Name the order whose returns to list.', [
      { path: '/orderId', message: 'is required' },
    ]);
  }
  if ((await deps.orders.get(orderId)) === undefined) throw orderNotFound(orderId);
  return deps.returns.listByOrder(orderId);
}
