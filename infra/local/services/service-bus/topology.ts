import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The entities a broker serves, read from a JSON file:
 *
 * ```json
 * {
 *   "queues": [{ "name": "orders", "maxDeliveryCount": 10, "lockDurationSeconds": 60,
 *                "defaultMessageTimeToLiveSeconds": 3600, "deadLetteringOnMessageExpiration": false }],
 *   "topics": [{ "name": "events", "defaultMessageTimeToLiveSeconds": 3600,
 *                "subscriptions": [{ "name": "all" },
 *                                  { "name": "orders", "filter": { "subject": "order.created",
 *                                    "correlationId": "c1", "applicationProperties": { "entityType": "order" } } }] }]
 * }
 * ```
 *
 * Subscriptions take the queue settings too. A filter is a Service Bus correlation filter: every
 * property it names must equal the message's. Names are case-insensitive, as in Service Bus.
 */
export interface EntitySettings {
  maxDeliveryCount: number;
  lockDurationSeconds: number;
  /** Absent: messages live until received (or until their own time to live). */
  defaultMessageTimeToLiveSeconds?: number;
  /** Expired messages go to the dead-letter queue instead of being dropped. */
  deadLetteringOnMessageExpiration: boolean;
}

export interface CorrelationFilter {
  subject?: string;
  correlationId?: string;
  applicationProperties?: Record<string, string | number | boolean>;
}

export interface QueueTopology extends EntitySettings {
  name: string;
}

export interface SubscriptionTopology extends EntitySettings {
  name: string;
  filter?: CorrelationFilter;
}

export interface TopicTopology {
  name: string;
  defaultMessageTimeToLiveSeconds?: number;
  subscriptions: SubscriptionTopology[];
}

export interface Topology {
  queues: QueueTopology[];
  topics: TopicTopology[];
}

export class TopologyError extends Error {}

/** The topology shipped beside the broker (its source directory, also when run from the build). */
export function defaultTopologyPath(): string {
  const sourceDir = __filename.endsWith('.js')
    ? path.resolve(__dirname, '..', '..', '..', 'services', 'service-bus')
    : __dirname;
  return path.join(sourceDir, 'topology.json');
}

export function readTopology(file: string): Topology {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TopologyError(`Service Bus topology ${file}: ${(err as Error).message}`);
  }
  return parseTopology(json, file);
}

export function parseTopology(json: unknown, where = 'topology'): Topology {
  const root = object(json, where);
  const queues = list(root.queues, `${where}.queues`).map((q, i) => ({
    name: name(q, `${where}.queues[${i}]`),
    ...settings(q, `${where}.queues[${i}]`, undefined),
  }));
  const topics = list(root.topics, `${where}.topics`).map((t, i) => {
    const at = `${where}.topics[${i}]`;
    const topicTtl = optionalNumber(
      t.defaultMessageTimeToLiveSeconds,
      `${at}.defaultMessageTimeToLiveSeconds`
    );
    return {
      name: name(t, at),
      defaultMessageTimeToLiveSeconds: topicTtl,
      subscriptions: list(t.subscriptions, `${at}.subscriptions`).map((s, j) => ({
        name: name(s, `${at}.subscriptions[${j}]`),
        ...settings(s, `${at}.subscriptions[${j}]`, topicTtl),
        filter: s.filter === undefined ? undefined : filter(s.filter, `${at}.subscriptions[${j}].filter`),
      })),
    };
  });
  const names = [...queues, ...topics].map((e) => e.name.toLowerCase());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new TopologyError(`${where}: "${duplicate}" is named twice`);
  return { queues, topics };
}

function settings(
  json: Record<string, unknown>,
  at: string,
  inheritedTtl: number | undefined
): EntitySettings {
  const maxDeliveryCount = optionalNumber(json.maxDeliveryCount, `${at}.maxDeliveryCount`) ?? 10;
  const lockDurationSeconds = optionalNumber(json.lockDurationSeconds, `${at}.lockDurationSeconds`) ?? 60;
  if (!Number.isInteger(maxDeliveryCount) || maxDeliveryCount < 1)
    throw new TopologyError(`${at}.maxDeliveryCount must be a whole number of at least 1`);
  if (lockDurationSeconds <= 0) throw new TopologyError(`${at}.lockDurationSeconds must be above 0`);
  const ttl =
    optionalNumber(json.defaultMessageTimeToLiveSeconds, `${at}.defaultMessageTimeToLiveSeconds`) ??
    inheritedTtl;
  const deadLettering = json.deadLetteringOnMessageExpiration;
  if (deadLettering !== undefined && typeof deadLettering !== 'boolean')
    throw new TopologyError(`${at}.deadLetteringOnMessageExpiration must be true or false`);
  return {
    maxDeliveryCount,
    lockDurationSeconds,
    defaultMessageTimeToLiveSeconds: ttl,
    deadLetteringOnMessageExpiration: deadLettering ?? false,
  };
}

function filter(json: unknown, at: string): CorrelationFilter {
  const f = object(json, at);
  const result: CorrelationFilter = {};
  if (f.subject !== undefined) result.subject = string(f.subject, `${at}.subject`);
  if (f.correlationId !== undefined) result.correlationId = string(f.correlationId, `${at}.correlationId`);
  if (f.applicationProperties !== undefined) {
    const props = object(f.applicationProperties, `${at}.applicationProperties`);
    for (const [key, value] of Object.entries(props)) {
      if (!['string', 'number', 'boolean'].includes(typeof value))
        throw new TopologyError(`${at}.applicationProperties.${key} must be a string, number or boolean`);
    }
    result.applicationProperties = props as Record<string, string | number | boolean>;
  }
  return result;
}

function object(json: unknown, at: string): Record<string, unknown> {
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new TopologyError(`${at} must be an object`);
  return json as Record<string, unknown>;
}

function list(json: unknown, at: string): Record<string, unknown>[] {
  if (json === undefined) return [];
  if (!Array.isArray(json)) throw new TopologyError(`${at} must be an array`);
  return json.map((item, i) => object(item, `${at}[${i}]`));
}

function name(json: Record<string, unknown>, at: string): string {
  const value = string(json.name, `${at}.name`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value))
    throw new TopologyError(`${at}.name "${value}" may hold only letters, digits, ".", "_" and "-"`);
  return value;
}

function string(json: unknown, at: string): string {
  if (typeof json !== 'string' || json === '') throw new TopologyError(`${at} must be a non-empty string`);
  return json;
}

function optionalNumber(json: unknown, at: string): number | undefined {
  if (json === undefined) return undefined;
  if (typeof json !== 'number' || !Number.isFinite(json)) throw new TopologyError(`${at} must be a number`);
  return json;
}
