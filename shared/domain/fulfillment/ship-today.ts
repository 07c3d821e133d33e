import type { SourcingSource } from './planning-problem';

/** Why a source cannot ship today, or undefined when it can. */
export type ShipTodayBlock = 'non-working-day' | 'holiday' | 'cutoff-passed';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const isoWeekday: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The source's local date (YYYY-MM-DD), time (HH:mm) and ISO weekday at `now`. */
export function localTime(timeZone: string, now: Date): { date: string; time: string; weekday: number } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(now)
      .map((p) => [p.type, p.value])
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    weekday: isoWeekday[parts.weekday ?? ''] ?? 0,
  };
}

/**
 * What `respectCutoff` means here: a line planned at `now` must leave today. A source that does not
 * work today (weekday or holiday in its own time zone) or whose cut-off time has passed is excluded
 * (hard), or excluded in pass 1 only (soft: pass 2 lets it ship on its next working day).
 */
export function shipTodayBlock(source: SourcingSource, now: Date): ShipTodayBlock | undefined {
  const local = localTime(source.timeZone, now);
  if (!source.calendar.workingDays.includes(local.weekday)) return 'non-working-day';
  if (source.calendar.holidays.includes(local.date)) return 'holiday';
  if (source.cutoffTime !== undefined && local.time >= source.cutoffTime) return 'cutoff-passed';
  return undefined;
}
