import { entityTagOf } from '../app/versioned-resources/entity-tags';
import { openQuantity, type SupplyOrder } from '../domain/purchasing/supply-order';

/** A purchase or transfer order as the API shows it: each line with its `open` quantity. */
export function supplyOrderView(order: SupplyOrder) {
  return { ...order, lines: order.lines.map((line) => ({ ...line, open: openQuantity(line) })) };
}

/**
 * The answer to a receipt: 201 for a new one, 200 for a receipt id already recorded, with the order's
 * new ETag and the order as the API shows it.
 */
export function receiptAnswer<A extends { duplicate: boolean; etag: string; order: SupplyOrder }>(answer: A) {
  const { etag, order, ...rest } = answer;
  return {
    status: answer.duplicate ? 200 : 201,
    headers: { etag: entityTagOf(etag) },
    jsonBody: { ...rest, order: supplyOrderView(order) },
  };
}
