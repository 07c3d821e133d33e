import { ConfigError } from '../../config';

type Env = Readonly<Record<string, string | undefined>>;

/** Default wall-clock budget of one `POST /api/v1/fulfillment/plan` (and the journey activity). */
export const defaultPlanTimeLimitSeconds = 2;
const maxPlanTimeLimitSeconds = 600;

/** OPENIOM_PLAN_TIME_LIMIT_SECONDS: seconds the optimizer may spend on one plan (0 < s ≤ 600), default 2. */
export function loadPlanTimeLimitSeconds(env: Env): number {
  const raw = env.OPENIOM_PLAN_TIME_LIMIT_SECONDS?.trim();
  if (raw === undefined || raw === '') return defaultPlanTimeLimitSeconds;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > maxPlanTimeLimitSeconds) {
    throw new ConfigError([
      `OPENIOM_PLAN_TIME_LIMIT_SECONDS must be a number of seconds above 0 and at most ${maxPlanTimeLimitSeconds}, got "${raw}"`,
    ]);
  }
  return seconds;
}
