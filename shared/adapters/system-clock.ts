import type { Clock } from '../ports/clock';

/** The real wall clock; the only place the app reads system time. */
export const systemClock: Clock = {
  now: () => new Date(),
};
