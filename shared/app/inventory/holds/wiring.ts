import { CosmosInventoryHoldStore } from '../../../adapters/cosmos/inventory-hold-store';
import { getAtpDefaultDays, getHoldSettings, type HoldSettings } from '../../../config';
import type { InventoryHoldStore } from '../../../ports/inventory-holds';
import {
  holdCheckRequestSchema,
  holdListQuerySchema,
  type HoldCheckRequest,
  type HoldListQuery,
} from '../../../schemas/inventory-hold.schema';
import { compileValidator } from '../../../schemas/validator';
import { raiseEventDeps } from '../../events/wiring';
import { getOrderRepository } from '../../orders/wiring';
import { getClock, getContainer } from '../../platform/wiring';
import { getProductRepository } from '../../products/wiring';
import { memo } from '../../registry';
import { inventoryLevelsFrom } from '../atp/atp-inventory-levels';
import { getInventoryScheduleStore } from '../schedules/wiring';
import { getInventoryDeps } from '../wiring';
import { inventoryReservationsFrom } from './hold-inventory-reservations';
import type { HoldOrderLinesDeps } from './hold-order-lines';
import type { HoldDeps } from './hold-steps';
import type { ListHoldsDeps } from './list-holds';
import type { HoldValidators } from '../../../ports/validators';

/** Hold records in `inventory` (partition = the line's SKU). */
export async function getInventoryHoldStore(): Promise<InventoryHoldStore> {
  return new CosmosInventoryHoldStore(await getContainer('inventory'), getClock());
}

export function getHoldValidators(): HoldValidators {
  return memo('validators:hold', () => ({
    check: compileValidator<HoldCheckRequest>(holdCheckRequestSchema, 'hold check'),
    list: compileValidator<HoldListQuery>(holdListQuerySchema, 'hold query'),
  }));
}

/** OPENIOM_HOLD_RECHECK_SCHEDULE and OPENIOM_HOLD_CANCEL_AFTER_DAYS (read per call: a cheap parse). */
export function holdSettings(): HoldSettings {
  return getHoldSettings();
}

/** What the check and re-check of held lines use: orders, products, inventory, schedules, events. */
export async function getHoldDeps(): Promise<HoldDeps> {
  const inventory = await getInventoryDeps();
  return {
    orders: await getOrderRepository(),
    products: await getProductRepository(),
    holds: await getInventoryHoldStore(),
    reservations: inventoryReservationsFrom(inventory),
    levels: inventoryLevelsFrom(inventory),
    schedules: await getInventoryScheduleStore(),
    events: await raiseEventDeps(),
    clock: getClock(),
    atpDays: getAtpDefaultDays(),
  };
}

/** `POST /api/v1/inventory/holds/check`: the hold deps and the request's validator. */
export async function holdOrderLinesDeps(): Promise<HoldOrderLinesDeps> {
  return { ...(await getHoldDeps()), validate: getHoldValidators().check };
}

export async function listHoldsDeps(): Promise<ListHoldsDeps> {
  return { validate: getHoldValidators().list, holds: await getInventoryHoldStore() };
}
