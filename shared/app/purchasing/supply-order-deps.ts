import type {
  PurchaseOrderInput,
  SupplyOrderKind,
  SupplyReceiptInput,
  TransferOrderInput,
} from '../../domain/purchasing/supply-order';
import type { Clock } from '../../ports/clock';
import type { InventoryScheduleStore } from '../../ports/inventory-schedules';
import type { InventoryDeps } from '../../ports/inventory-requests';
import type { SupplyOrderRepository } from '../../ports/purchasing';
import type { SupplyOrderListQuery } from '../../schemas/purchasing.schema';
import type { RecheckSummary } from '../inventory/holds/check-held-lines';

/** Compiled validators (shared/schemas/purchasing.schema.ts). */
export interface PurchasingValidators {
  route: (input: unknown) => { id: string };
  purchaseOrder: (input: unknown) => PurchaseOrderInput;
  transferOrder: (input: unknown) => TransferOrderInput;
  receipt: (input: unknown) => SupplyReceiptInput;
  list: (input: unknown) => SupplyOrderListQuery;
}

/** What the purchase and transfer order use cases work with (built by ./wiring.ts). */
export interface PurchasingDeps {
  orders: SupplyOrderRepository;
  schedules: InventoryScheduleStore;
  /** The inventory core: SKU and source lookups, and on-hand changes for receipts. */
  inventory: InventoryDeps;
  /** The backorder hold re-check, limited to the SKUs a receipt brought. */
  recheckHolds: (skus: readonly string[]) => Promise<RecheckSummary>;
  validators: PurchasingValidators;
  clock: Clock;
}

export type { SupplyOrderKind };

/** The routes' collection paths, by kind. */
export const supplyOrderPaths: Record<SupplyOrderKind, string> = {
  purchaseOrder: '/api/v1/purchase-orders',
  transferOrder: '/api/v1/transfer-orders',
};
