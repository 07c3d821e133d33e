import { getAtpDefaultDays } from '../../../config';
import { atpRequestSchema, type AtpRequest } from '../../../schemas/inventory-atp.schema';
import { compileValidator } from '../../../schemas/validator';
import { getClock } from '../../platform/wiring';
import { memo } from '../../registry';
import { getInventoryScheduleStore } from '../schedules/wiring';
import { getInventoryDeps } from '../wiring';
import { inventoryLevelsFrom } from './atp-inventory-levels';
import type { AtpDeps } from './compute-atp';

/** `POST /api/v1/inventory/atp`: schedules, day-0 stock from the inventory query, the default period. */
export async function getAtpDeps(): Promise<AtpDeps> {
  return {
    validate: memo('validator:atp', () => compileValidator<AtpRequest>(atpRequestSchema, 'ATP request')),
    levels: inventoryLevelsFrom(await getInventoryDeps()),
    schedules: await getInventoryScheduleStore(),
    clock: getClock(),
    defaultDays: getAtpDefaultDays(),
  };
}
