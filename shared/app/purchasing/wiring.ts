import { CosmosSupplyOrderRepository } from '../../adapters/cosmos/supply-order-repository';
import { tableFileParser } from '../../adapters/files/table-file-parser';
import { BlobImportReportStore } from '../../adapters/storage/inventory-import-reports';
import { purchaseOrderImportResultsContainer } from '../../ports/binding-names';
import type { ImportReportStore } from '../../ports/inventory-imports';
import type {
  PurchaseOrderInput,
  SupplyReceiptInput,
  TransferOrderInput,
} from '../../domain/purchasing/supply-order';
import type { SupplyOrderRepository } from '../../ports/purchasing';
import {
  purchaseOrderInputSchema,
  supplyOrderListQuerySchema,
  supplyOrderRouteSchema,
  supplyReceiptInputSchema,
  transferOrderInputSchema,
  type SupplyOrderListQuery,
} from '../../schemas/purchasing.schema';
import { compileValidator } from '../../schemas/validator';
import { checkHeldLines } from '../inventory/holds/check-held-lines';
import { getHoldDeps, holdSettings } from '../inventory/holds/wiring';
import { getInventoryScheduleStore } from '../inventory/schedules/wiring';
import { getInventoryDeps } from '../inventory/wiring';
import { getClock, getContainer, getStorageClients } from '../platform/wiring';
import { memo } from '../registry';
import type { ImportPurchaseOrderFileDeps, PurchaseOrderImportReport } from './import-purchase-order-file';
import type { PurchasingDeps, PurchasingValidators } from './supply-order-deps';

/** Purchase and transfer orders in `orders`, each in a partition of its own. */
export async function getSupplyOrderRepository(): Promise<SupplyOrderRepository> {
  return new CosmosSupplyOrderRepository(await getContainer('orders'), getClock());
}

function getPurchasingValidators(): PurchasingValidators {
  return memo('validators:purchasing', () => ({
    route: compileValidator<{ id: string }>(supplyOrderRouteSchema, 'order id'),
    purchaseOrder: compileValidator<PurchaseOrderInput>(purchaseOrderInputSchema, 'purchase order'),
    transferOrder: compileValidator<TransferOrderInput>(transferOrderInputSchema, 'transfer order'),
    receipt: compileValidator<SupplyReceiptInput>(supplyReceiptInputSchema, 'receipt'),
    list: compileValidator<SupplyOrderListQuery>(supplyOrderListQuerySchema, 'order query'),
  }));
}

/** What the purchase and transfer order use cases need. */
export async function getPurchasingDeps(): Promise<PurchasingDeps> {
  const [orders, schedules, inventory] = await Promise.all([
    getSupplyOrderRepository(),
    getInventoryScheduleStore(),
    getInventoryDeps(),
  ]);
  const { cancelAfterDays } = holdSettings();
  return {
    orders,
    schedules,
    inventory,
    recheckHolds: async (skus) =>
      checkHeldLines(await getHoldDeps(), {
        skus,
        ...(cancelAfterDays === undefined ? {} : { cancelAfterDays }),
      }),
    validators: getPurchasingValidators(),
    clock: getClock(),
  };
}

/** The purchase order file drop: the one table file parser, reports in `purchase-order-imports-results`. */
export async function getPurchaseOrderImportDeps(): Promise<ImportPurchaseOrderFileDeps> {
  const reports = memo<ImportReportStore<PurchaseOrderImportReport>>(
    'purchasing:import-reports',
    () =>
      new BlobImportReportStore<PurchaseOrderImportReport>(
        getStorageClients().blobs.getContainerClient(purchaseOrderImportResultsContainer)
      )
  );
  return { ...(await getPurchasingDeps()), parser: tableFileParser, reports };
}

export { purchaseOrderImportsContainer } from '../../ports/binding-names';
