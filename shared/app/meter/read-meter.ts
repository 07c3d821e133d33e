import { ValidationError } from '../../domain/errors';
import { isMonthKey, lastMonths } from '../../domain/meter/month-key';
import type { MonthUsage } from '../../domain/meter/order-usage';
import type { Clock } from '../../ports/clock';
import type { OrderLineMeter } from '../../ports/meter';

export interface ReadMeterDeps {
  meter: OrderLineMeter;
  clock: Clock;
}

/** How many months `GET /api/v1/meter` reports without `month`. */
export const recentMonthCount = 12;

/** One month's totals (zeros when nothing was counted in it). */
export async function readMeterMonth(deps: ReadMeterDeps, month: string): Promise<MonthUsage> {
  if (!isMonthKey(month)) {
    throw new ValidationError('month must be YYYY-MM.', [{ path: '/month', message: 'must be YYYY-MM' }]);
  }
  const [usage] = await deps.meter.months([month]);
  return usage!;
}

/** The last 12 months, this one included, newest first. */
export async function readMeterRecent(deps: ReadMeterDeps): Promise<MonthUsage[]> {
  return deps.meter.months(lastMonths(deps.clock.now(), recentMonthCount));
}
