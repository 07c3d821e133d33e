import { ConfigError } from '../../../config';

type Env = Readonly<Record<string, string | undefined>>;

export interface HoldSettings {
  /** Six-field NCRONTAB of the re-check timer (OPENIOM_HOLD_RECHECK_SCHEDULE, default daily at 02:00 UTC). */
  recheckSchedule: string;
  /** Cancel backorder lines held this many days (OPENIOM_HOLD_CANCEL_AFTER_DAYS, 1–365); absent: never. */
  cancelAfterDays?: number;
}

export const defaultRecheckSchedule = '0 0 2 * * *';
/** IOM's limit for the cancellation SLA. */
export const maxCancelAfterDays = 365;

/** The hold settings from the environment; ConfigError naming every bad variable. */
export function loadHoldSettings(env: Env): HoldSettings {
  const problems: string[] = [];
  const schedule = env.OPENIOM_HOLD_RECHECK_SCHEDULE?.trim() || defaultRecheckSchedule;
  // The timer is registered at load with this text; a five-field cron would be read as seconds-first.
  if (schedule.split(/\s+/).length !== 6) {
    problems.push(
      `OPENIOM_HOLD_RECHECK_SCHEDULE must be a six-field NCRONTAB (sec min hour day month weekday), got "${schedule}"`
    );
  }
  const rawDays = env.OPENIOM_HOLD_CANCEL_AFTER_DAYS?.trim();
  let cancelAfterDays: number | undefined;
  if (rawDays !== undefined && rawDays !== '') {
    cancelAfterDays = Number(rawDays);
    if (!/^\d+$/.test(rawDays) || cancelAfterDays < 1 || cancelAfterDays > maxCancelAfterDays) {
      problems.push(
        `OPENIOM_HOLD_CANCEL_AFTER_DAYS must be an integer from 1 to ${maxCancelAfterDays}, got "${rawDays}"`
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { recheckSchedule: schedule, ...(cancelAfterDays === undefined ? {} : { cancelAfterDays }) };
}
