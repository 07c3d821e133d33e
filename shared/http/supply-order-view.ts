import { openQuantity, type SupplyOrder } from '../domain/purchasing/supply-order';

/** A purchase or transfer order as the API shows it: each line with its `open` quantity. */
export function supplyOrderView(order: SupplyOrder) {
  return { ...order, lines: order.lines.map((line) => ({ ...line, open: openQuantity(line) })) };
}
