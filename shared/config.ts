import { defaultAtpDays, maxAtpDays } from './domain/inventory/atp/atp';

/**
 * The environment, read and validated once. Variable names follow Azure Functions conventions
 * (`AzureWebJobsStorage`) plus ours (docs/architecture.md), so the same build runs in Azure and in the local host.
 *
 * `loadConfig(env)` is pure (easy to test); `getConfig()` memoizes it over `process.env` because the
 * environment does not change during a worker's life and re-validating on every request is waste.
 */

export interface Config {
  /** Connection string for Blob, Queue and Table storage (Azurite locally); absent when storageAccountName is set. */
  storageConnectionString?: string;
  /** AzureWebJobsStorage__accountName: storage reached with a managed identity instead (docs/deploy.md). */
  storageAccountName?: string;
  cosmos: {
    endpoint: string;
    /** Absent: the app signs in to Cosmos with a managed identity (data-plane RBAC). */
    key?: string;
    database: string;
  };
  /** Service Bus connection; when absent, integration events go to an Azurite queue (docs/architecture.md). */
  serviceBusConnection?: string;
  /** SERVICEBUS_CONNECTION__fullyQualifiedNamespace: Service Bus reached with a managed identity instead. */
  serviceBusNamespace?: string;
  /** AZURE_CLIENT_ID: the user-assigned managed identity the app's own SDK clients sign in as. */
  azureClientId?: string;
  /** Function key for `function`-level routes; optional here because Azure checks keys itself. */
  functionsKey?: string;
  /** Upper bound for HTTP request bodies we are willing to parse. */
  maxBodyBytes: number;
  /** Most lines one order may have (OPENIOM_MAX_ORDER_LINES, default 1000). */
  maxOrderLines: number;
  /** Outbox delivery (SMTP_URL, SMTP_FROM); absent: emails stay `queued`. */
  smtp?: SmtpConfig;
}

export interface SmtpConfig {
  /** `smtp://[user:pass@]host:port` or `smtps://...`: holds credentials, never log or answer it. */
  url: string;
  /** The sender address (SMTP_FROM, default `orders@openiom.local`). */
  from: string;
  /** The URL without credentials, fit for messages: `smtp://127.0.0.1:2525`. */
  server: string;
}

/** Thrown when the environment is unusable; the message names every offending variable. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const DEFAULT_DATABASE = 'openiom';
const DEFAULT_MAX_ORDER_LINES = 1000;
const DEFAULT_MAX_BODY_BYTES = 1_048_576;
const DEFAULT_SMTP_FROM = 'orders@openiom.local';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every environment variable the app reads, so deployment templates can be checked against the code
 * (test/unit/azure-templates.test.ts). The Functions host reads the binding connections itself,
 * in either form: `AzureWebJobsStorage` or `AzureWebJobsStorage__accountName`, and so on.
 */
export const SETTING_NAMES = [
  'AzureWebJobsStorage',
  'AzureWebJobsStorage__accountName',
  'COSMOS_ENDPOINT',
  'COSMOS_KEY',
  'COSMOS_DATABASE',
  'SERVICEBUS_CONNECTION',
  'SERVICEBUS_CONNECTION__fullyQualifiedNamespace',
  'AZURE_CLIENT_ID',
  'OPENIOM_FUNCTIONS_KEY',
  'OPENIOM_MAX_BODY_BYTES',
  'OPENIOM_MAX_ORDER_LINES',
  'SMTP_URL',
  'SMTP_FROM',
  'OPENIOM_ATP_DAYS',
  'OPENIOM_HOLD_RECHECK_SCHEDULE',
  'OPENIOM_HOLD_CANCEL_AFTER_DAYS',
  'OPENIOM_PLAN_TIME_LIMIT_SECONDS',
  'OPENIOM_ALERTS_SCHEDULE',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'OPENIOM_TRACES',
  'OPENIOM_DATA_DIR',
] as const;

/** Settings that stand for another in the identity-based form (no secret in the setting). */
export const IDENTITY_FORM_OF: Readonly<Partial<Record<(typeof SETTING_NAMES)[number], string>>> = {
  AzureWebJobsStorage: 'AzureWebJobsStorage__accountName',
  COSMOS_KEY: 'AZURE_CLIENT_ID',
  SERVICEBUS_CONNECTION: 'SERVICEBUS_CONNECTION__fullyQualifiedNamespace',
};

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function loadConfig(env: Env): Config {
  const problems: string[] = [];

  const required = (name: string): string => {
    const value = nonEmpty(env, name);
    if (value === undefined) problems.push(`${name} is required but not set`);
    return value ?? '';
  };

  // Either a connection string or, in Azure, an account name the managed identity has roles on.
  const storageAccountName = nonEmpty(env, 'AzureWebJobsStorage__accountName');
  const storageConnectionString =
    storageAccountName === undefined ? required('AzureWebJobsStorage') : nonEmpty(env, 'AzureWebJobsStorage');
  const endpoint = required('COSMOS_ENDPOINT');
  // Without a key, the managed identity AZURE_CLIENT_ID signs the requests (data-plane RBAC).
  const key = nonEmpty(env, 'COSMOS_KEY');
  if (key === undefined && nonEmpty(env, 'AZURE_CLIENT_ID') === undefined) {
    problems.push(
      'COSMOS_KEY is required but not set (or set AZURE_CLIENT_ID to sign in with a managed identity)'
    );
  }

  if (endpoint !== '') {
    let protocol: string | undefined;
    try {
      protocol = new URL(endpoint).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      problems.push(`COSMOS_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
    }
  }

  const database = nonEmpty(env, 'COSMOS_DATABASE') ?? DEFAULT_DATABASE;
  // Cosmos ids may not contain these characters; catching it here beats a 400 on first write.
  if (/[/\\?#]/.test(database)) {
    problems.push(`COSMOS_DATABASE must not contain / \\ ? or #, got "${database}"`);
  }

  const positiveInteger = (name: string, fallback: number): number => {
    const raw = nonEmpty(env, name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(parsed) || parsed <= 0) {
      problems.push(`${name} must be a positive integer, got "${raw}"`);
      return fallback;
    }
    return parsed;
  };
  const maxBodyBytes = positiveInteger('OPENIOM_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES);
  const maxOrderLines = positiveInteger('OPENIOM_MAX_ORDER_LINES', DEFAULT_MAX_ORDER_LINES);

  const smtp = smtpConfig(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    cosmos: { endpoint, database, ...(key === undefined ? {} : { key }) },
    maxBodyBytes,
    maxOrderLines,
  };
  if (storageConnectionString !== undefined) config.storageConnectionString = storageConnectionString;
  else if (storageAccountName !== undefined) config.storageAccountName = storageAccountName;
  const serviceBusConnection = nonEmpty(env, 'SERVICEBUS_CONNECTION');
  if (serviceBusConnection !== undefined) config.serviceBusConnection = serviceBusConnection;
  const serviceBusNamespace = nonEmpty(env, 'SERVICEBUS_CONNECTION__fullyQualifiedNamespace');
  if (serviceBusConnection === undefined && serviceBusNamespace !== undefined) {
    config.serviceBusNamespace = serviceBusNamespace;
  }
  const azureClientId = nonEmpty(env, 'AZURE_CLIENT_ID');
  if (azureClientId !== undefined) config.azureClientId = azureClientId;
  if (smtp !== undefined) config.smtp = smtp;
  const functionsKey = nonEmpty(env, 'OPENIOM_FUNCTIONS_KEY');
  if (functionsKey !== undefined) config.functionsKey = functionsKey;
  return config;
}

/** SMTP_URL and SMTP_FROM; a problem names the variable but never repeats the URL (it may hold a password). */
function smtpConfig(env: Env, problems: string[]): SmtpConfig | undefined {
  const url = nonEmpty(env, 'SMTP_URL');
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['smtp:', 'smtps:'].includes(parsed.protocol) || parsed.hostname === '') {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL such as smtp://127.0.0.1:2525');
    return undefined;
  }
  const from = nonEmpty(env, 'SMTP_FROM') ?? DEFAULT_SMTP_FROM;
  if (!/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>\s*$/.test(from)) {
    problems.push(`SMTP_FROM must be an email address, got "${from}"`);
  }
  return { url, from, server: `${parsed.protocol}//${parsed.host}` };
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/** Forget the memoized config so a test can change `process.env` and read it again. */
export function resetConfigForTests(): void {
  cached = undefined;
}

/*
 * Settings of single features, read per call (a cheap parse) rather than in getConfig(): a bad
 * value fails the feature that uses it with a ConfigError naming the variable, not every request.
 */

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

/** OPENIOM_ATP_DAYS from the environment. */
export function getAtpDefaultDays(): number {
  return loadAtpDefaultDays(process.env);
}

/** OPENIOM_HOLD_RECHECK_SCHEDULE and OPENIOM_HOLD_CANCEL_AFTER_DAYS from the environment. */
export function getHoldSettings(): HoldSettings {
  return loadHoldSettings(process.env);
}

/** OPENIOM_PLAN_TIME_LIMIT_SECONDS from the environment. */
export function getPlanTimeLimitSeconds(): number {
  return loadPlanTimeLimitSeconds(process.env);
}

/** Six-field NCRONTAB of the alert evaluation timer: every minute. */
export const defaultAlertsSchedule = '0 * * * * *';

/** OPENIOM_ALERTS_SCHEDULE (default every minute); ConfigError when it is not a six-field NCRONTAB. */
export function loadAlertsSchedule(env: Env): string {
  const schedule = env.OPENIOM_ALERTS_SCHEDULE?.trim() || defaultAlertsSchedule;
  if (schedule.split(/\s+/).length !== 6) {
    throw new ConfigError([
      `OPENIOM_ALERTS_SCHEDULE must be a six-field NCRONTAB (sec min hour day month weekday), got "${schedule}"`,
    ]);
  }
  return schedule;
}

/** OPENIOM_ALERTS_SCHEDULE from the environment. */
export function getAlertsSchedule(): string {
  return loadAlertsSchedule(process.env);
}

/** Where spans go (docs/telemetry.md). */
export interface TelemetrySettings {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING: spans go to Application Insights. Not a secret, but not shown either. */
  appInsightsConnectionString?: string;
  /** AZURE_CLIENT_ID: the managed identity that signs the exports when Application Insights wants Entra ID auth. */
  azureClientId?: string;
  /**
   * Without Application Insights: the directory whose `traces/spans.jsonl` receives the spans
   * (OPENIOM_DATA_DIR, default `.data`, the local host's data directory); absent when
   * OPENIOM_TRACES=off.
   */
  traceDataDir?: string;
}

/** The telemetry settings; OPENIOM_TRACES is `file` (the default) or `off`. */
export function loadTelemetrySettings(env: Env): TelemetrySettings {
  const traces = env.OPENIOM_TRACES?.trim().toLowerCase() || 'file';
  if (traces !== 'file' && traces !== 'off') {
    throw new ConfigError([`OPENIOM_TRACES must be "file" or "off", got "${traces}"`]);
  }
  const connectionString = nonEmpty(env, 'APPLICATIONINSIGHTS_CONNECTION_STRING');
  const azureClientId = nonEmpty(env, 'AZURE_CLIENT_ID');
  if (connectionString !== undefined) {
    return { appInsightsConnectionString: connectionString, ...(azureClientId ? { azureClientId } : {}) };
  }
  return traces === 'off' ? {} : { traceDataDir: nonEmpty(env, 'OPENIOM_DATA_DIR') ?? '.data' };
}

/** The telemetry settings from the environment. */
export function getTelemetrySettings(): TelemetrySettings {
  return loadTelemetrySettings(process.env);
}
