import { CosmosInventoryScheduleStore } from '../../../adapters/cosmos/inventory-schedule-store';
import type { InventoryScheduleInput } from '../../../domain/inventory/atp/atp-schedule';
import type { InventoryScheduleStore } from '../../../ports/inventory-schedules';
import {
  scheduleInputSchema,
  scheduleListQuerySchema,
  scheduleRouteSchema,
  type ScheduleListQuery,
} from '../../../schemas/inventory-schedule.schema';
import { compileValidator } from '../../../schemas/validator';
import { getClock, getContainer } from '../../platform/wiring';
import { memo } from '../../registry';
import type { PutScheduleDeps } from './inventory-schedules';

/** Change schedules in `inventory` (partition = SKU). */
export async function getInventoryScheduleStore(): Promise<InventoryScheduleStore> {
  return new CosmosInventoryScheduleStore(await getContainer('inventory'), getClock());
}

/** What the schedule use cases need (reads use all but the clock). */
export async function scheduleDeps(): Promise<PutScheduleDeps> {
  const validators = memo('validators:schedule', () => ({
    route: compileValidator<{ id: string }>(scheduleRouteSchema, 'schedule entry id'),
    body: compileValidator<InventoryScheduleInput>(scheduleInputSchema, 'schedule entry'),
    list: compileValidator<ScheduleListQuery>(scheduleListQuerySchema, 'schedule query'),
  }));
  return { validators, schedules: await getInventoryScheduleStore(), clock: getClock() };
}
