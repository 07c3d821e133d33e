import { defaultAtpDays, maxAtpDays } from '../../../domain/inventory/atp/atp';
import { ConfigError } from '../../../config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The ATP period when a request names none, and the period backorder estimates look ahead:
 * OPENIOM_ATP_DAYS, 1–366, default 7 (IOM's period).
 */
export function loadAtpDefaultDays(env: Env): number {
  const raw = env.OPENIOM_ATP_DAYS?.trim();
  if (raw === undefined || raw === '') return defaultAtpDays;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < 1 || days > maxAtpDays) {
    throw new ConfigError([`OPENIOM_ATP_DAYS must be an integer from 1 to ${maxAtpDays}, got "${raw}"`]);
  }
  return days;
}
