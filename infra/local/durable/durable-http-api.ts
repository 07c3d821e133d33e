import { hostProblem } from '../host/host-problem';
import type { HttpTriggerServer, SystemRequest, SystemResponse } from '../host/http-server';
import type { DurableClient } from './durable-client';
import type { EntityClient } from './entity-client';
import {
  InstanceExistsError,
  InstanceNotFailedError,
  InstanceNotFoundError,
  InstanceNotRunningError,
  UnknownOrchestratorError,
} from './durable-common';
import type { InstanceRecord, RuntimeStatus, StatusQuery } from './task-hub-store';
import { EventType, type HistoryEvent } from './history';

const runtimeStatuses: RuntimeStatus[] = [
  'Pending',
  'Running',
  'Suspended',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Terminated',
];
const eventTypeNames: Record<number, string> = Object.fromEntries(
  Object.entries(EventType).map(([k, v]) => [v, k])
);

/**
 * The Durable Functions HTTP API. Under `/runtime/webhooks/durabletask/` it needs the function key
 * (the `code` in every URL `createCheckStatusResponse` returns); the same operations under
 * `/durabletask/` are the RPC endpoint `df.getClient` calls, answered only to loopback callers, as
 * the extension's local RPC port is in Azure.
 */
export function registerDurableHttpApi(
  http: HttpTriggerServer,
  client: DurableClient,
  entities: EntityClient,
  ready: Promise<void>
): void {
  const routes: [string[], string, (req: SystemRequest) => Promise<SystemResponse>][] = [
    [['POST'], 'orchestrators/{functionName}/{instanceId?}', (req) => startNew(client, req)],
    [['GET'], 'instances/{instanceId}', (req) => getStatus(client, req)],
    [['GET'], 'instances', (req) => list(client, req)],
    [['POST'], 'instances/{instanceId}/raiseEvent/{eventName}', (req) => raiseEvent(client, req)],
    [['POST'], 'instances/{instanceId}/terminate', (req) => terminate(client, req)],
    [['POST'], 'instances/{instanceId}/suspend', (req) => suspend(client, req)],
    [['POST'], 'instances/{instanceId}/resume', (req) => resume(client, req)],
    [['DELETE'], 'instances/{instanceId}', (req) => purge(client, req)],
    [['DELETE'], 'instances', (req) => purgeWhere(client, req)],
    [['POST'], 'instances/{instanceId}/restart', (req) => restart(client, req)],
    [['POST'], 'instances/{instanceId}/rewind', (req) => rewind(client, req)],
    [['POST'], 'entities/{entityName}/{entityKey}', (req) => signalEntity(entities, req)],
    [['GET'], 'entities/{entityName}/{entityKey}', (req) => readEntity(entities, req)],
    [['GET'], 'entities/{entityName?}', (req) => listEntities(entities, req)],
    [['POST'], 'instances/{instanceId}/{operation}', (req) => Promise.resolve(unsupported(req))],
  ];
  for (const [methods, template, handler] of routes) {
    // Requests may come before the task hub is open (the HTTP server listens first): they wait.
    const whenReady = async (req: SystemRequest) => {
      await ready;
      return handler(req);
    };
    http.addSystemRoute(methods, `/runtime/webhooks/durabletask/${template}`, 'function', (req) =>
      answer(whenReady, req)
    );
    http.addSystemRoute(methods, `/durabletask/${template}`, 'anonymous', async (req) =>
      isLoopback(req.remoteAddress)
        ? asPlainText(await answer(whenReady, req))
        : asPlainText(
            problemAnswer(403, 'Forbidden', 'The durable RPC endpoint answers loopback callers only.')
          )
    );
  }
}

/**
 * The extension's RPC endpoint answers an error with its message as plain text, and `df.getClient`
 * puts that text into the Error it throws (a JSON body would show as `[object Object]`).
 */
function asPlainText(response: SystemResponse): SystemResponse {
  const body = response.body as { detail?: unknown } | undefined;
  const isProblem = response.headers?.['content-type'] === 'application/problem+json';
  if (response.status < 400 || !isProblem || typeof body?.detail !== 'string') return response;
  const headers = { ...response.headers, 'content-type': 'text/plain; charset=utf-8' };
  return { status: response.status, headers, body: body.detail };
}

async function answer(
  handler: (req: SystemRequest) => Promise<SystemResponse>,
  req: SystemRequest
): Promise<SystemResponse> {
  try {
    return await handler(req);
  } catch (err) {
    if (err instanceof UnknownOrchestratorError)
      return problemAnswer(400, 'Unknown orchestrator', err.message);
    if (err instanceof InstanceExistsError) return problemAnswer(409, 'Conflict', err.message);
    if (err instanceof InstanceNotFoundError) return problemAnswer(404, 'Not Found', err.message);
    if (err instanceof InstanceNotRunningError) return problemAnswer(410, 'Gone', err.message);
    if (err instanceof InstanceNotFailedError) return problemAnswer(412, 'Precondition Failed', err.message);
    if (err instanceof BadRequestError) return problemAnswer(400, 'Bad Request', err.message);
    throw err;
  }
}

class BadRequestError extends Error {}

function problemAnswer(status: number, title: string, detail: string): SystemResponse {
  const { headers, body } = hostProblem(status, title, detail);
  return { status, headers, body };
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function bodyText(req: SystemRequest): string {
  const text = req.body.toString('utf8').trim();
  if (text === '') return '';
  try {
    JSON.parse(text);
  } catch {
    throw new BadRequestError('The body must be JSON (the orchestration input or event data).');
  }
  return text;
}

async function startNew(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  const instanceId = await client.startNew(req.params.functionName!, req.params.instanceId, bodyText(req));
  const payload = managementPayload(client, req, instanceId);
  return { status: 202, headers: { location: payload.statusQueryGetUri ?? '' }, body: payload };
}

function managementPayload(
  client: DurableClient,
  req: SystemRequest,
  instanceId: string
): Record<string, string> {
  const urls = client.clientData().managementUrls as Record<string, string>;
  const origin = req.url.origin;
  return Object.fromEntries(
    Object.entries(urls).map(([key, value]) => [
      key,
      value.replace(/^https?:\/\/[^/]+/, origin).replace('INSTANCEID', encodeURIComponent(instanceId)),
    ])
  );
}

async function getStatus(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  const record = await client.getInstance(req.params.instanceId!);
  if (!record) return problemAnswer(404, 'Not Found', `No instance with ID '${req.params.instanceId}'.`);
  const query = req.url.searchParams;
  const body = await statusBody(client, record, {
    showInput: query.get('showInput') !== 'false',
    showHistory: query.get('showHistory') === 'true',
    showHistoryOutput: query.get('showHistoryOutput') === 'true',
  });
  const failed = record.runtimeStatus === 'Failed';
  if (failed && query.get('returnInternalServerErrorOnFailure') === 'true') return { status: 500, body };
  if (record.runtimeStatus === 'Completed') return { status: 200, body };
  if (failed || record.runtimeStatus === 'Terminated') return { status: 400, body };
  return { status: 202, headers: { location: req.url.toString(), 'retry-after': '1' }, body };
}

async function statusBody(
  client: DurableClient,
  record: InstanceRecord,
  options: { showInput: boolean; showHistory: boolean; showHistoryOutput: boolean }
): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput ? parse(record.input) : null,
    customStatus: parse(record.customStatus),
    output: parse(record.output),
    createdTime: record.createdTime,
    lastUpdatedTime: record.lastUpdatedTime,
  };
  if (options.showHistory) {
    body.historyEvents = (await client.getHistory(record))
      .filter(
        (e) =>
          e.EventType !== EventType.OrchestratorStarted && e.EventType !== EventType.OrchestratorCompleted
      )
      .map((e) => historyView(e, options.showHistoryOutput));
  }
  return body;
}

function historyView(event: HistoryEvent, showOutput: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    EventType: eventTypeNames[event.EventType] ?? event.EventType,
    Timestamp: event.Timestamp,
  };
  if (event.Name) view.FunctionName = event.Name;
  if (event.EventId >= 0) view.EventId = event.EventId;
  if (event.TaskScheduledId !== undefined) view.TaskScheduledId = event.TaskScheduledId;
  if (event.TimerId !== undefined) view.TimerId = event.TimerId;
  if (event.FireAt) view.FireAt = event.FireAt;
  if (event.OrchestrationStatus) view.OrchestrationStatus = event.OrchestrationStatus;
  if (event.Reason) view.Reason = event.Reason;
  if (showOutput && event.Result !== undefined) view.Result = parse(event.Result);
  if (showOutput && event.Details) view.Details = event.Details;
  return view;
}

async function list(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  const query = req.url.searchParams;
  const parsed: StatusQuery = {
    runtimeStatus: statusesParam(query.get('runtimeStatus')),
    createdTimeFrom: dateParam(query.get('createdTimeFrom')),
    createdTimeTo: dateParam(query.get('createdTimeTo')),
    instanceIdPrefix: query.get('instanceIdPrefix') ?? undefined,
    pageSize: Math.min(1000, Math.max(1, Number(query.get('top') ?? 100) || 100)),
    continuationToken: headerValue(req, 'x-ms-continuation-token'),
  };
  const page = await client.list(parsed);
  const showInput = query.get('showInput') === 'true';
  const body = await Promise.all(
    page.items.map((r) => statusBody(client, r, { showInput, showHistory: false, showHistoryOutput: false }))
  );
  return {
    status: 200,
    headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
    body,
  };
}

async function raiseEvent(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  await client.raiseEvent(req.params.instanceId!, req.params.eventName!, bodyText(req));
  return { status: 202 };
}

async function terminate(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  await client.terminate(req.params.instanceId!, req.url.searchParams.get('reason') ?? '');
  return { status: 202 };
}

async function suspend(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  await client.suspend(req.params.instanceId!, req.url.searchParams.get('reason') ?? '');
  return { status: 202 };
}

async function resume(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  await client.resume(req.params.instanceId!, req.url.searchParams.get('reason') ?? '');
  return { status: 202 };
}

async function purge(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  const deleted = await client.purge(req.params.instanceId!);
  if (!deleted) return problemAnswer(404, 'Not Found', `No instance with ID '${req.params.instanceId}'.`);
  return { status: 200, body: { instancesDeleted: 1 } };
}

async function purgeWhere(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  const query = req.url.searchParams;
  const instancesDeleted = await client.purgeWhere({
    createdTimeFrom: dateParam(query.get('createdTimeFrom')),
    createdTimeTo: dateParam(query.get('createdTimeTo')),
    runtimeStatus: statusesParam(query.get('runtimeStatus')),
  });
  // The extension answers 404 when nothing matched; the client reads that as none deleted.
  if (instancesDeleted === 0) return problemAnswer(404, 'Not Found', 'No instance matches the filter.');
  return { status: 200, body: { instancesDeleted } };
}

async function restart(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  const withNewId = req.url.searchParams.get('restartWithNewInstanceId') !== 'false';
  const instanceId = await client.restart(req.params.instanceId!, withNewId);
  const payload = managementPayload(client, req, instanceId);
  return { status: 202, headers: { location: payload.statusQueryGetUri ?? '' }, body: payload };
}

async function rewind(client: DurableClient, req: SystemRequest): Promise<SystemResponse> {
  await client.rewind(req.params.instanceId!, req.url.searchParams.get('reason') ?? '');
  return { status: 202 };
}

async function signalEntity(entities: EntityClient, req: SystemRequest): Promise<SystemResponse> {
  const { entityName, entityKey } = req.params;
  await entities.signal(entityName!, entityKey!, req.url.searchParams.get('op') ?? '', bodyText(req));
  return { status: 202 };
}

async function readEntity(entities: EntityClient, req: SystemRequest): Promise<SystemResponse> {
  const { entityName, entityKey } = req.params;
  const entity = await entities.read(entityName!, entityKey!);
  if (!entity.exists)
    return problemAnswer(404, 'Not Found', `No entity '${entityName}' with key '${entityKey}'.`);
  // The state's own JSON text, as stored: a string body is written as it is.
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: entity.state ?? 'null',
  };
}

async function listEntities(entities: EntityClient, req: SystemRequest): Promise<SystemResponse> {
  const query = req.url.searchParams;
  const page = await entities.list(req.params.entityName || undefined, {
    fetchState: query.get('fetchState') === 'true',
    pageSize: Math.min(1000, Math.max(1, Number(query.get('top') ?? 100) || 100)),
    continuationToken: headerValue(req, 'x-ms-continuation-token'),
    lastOperationTimeFrom: dateParam(query.get('lastOperationTimeFrom')),
    lastOperationTimeTo: dateParam(query.get('lastOperationTimeTo')),
  });
  return {
    status: 200,
    headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
    body: page.items,
  };
}

function unsupported(req: SystemRequest): SystemResponse {
  return problemAnswer(
    501,
    'Not Implemented',
    `The local host does not support '${req.params.operation}' on instances.`
  );
}

function statusesParam(value: string | null): RuntimeStatus[] {
  const statuses = (value ?? '').split(',').filter(Boolean);
  const unknownStatus = statuses.find((s) => !runtimeStatuses.includes(s as RuntimeStatus));
  if (unknownStatus) throw new BadRequestError(`Unknown runtimeStatus '${unknownStatus}'.`);
  return statuses as RuntimeStatus[];
}

function dateParam(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadRequestError(`'${value}' is not a date.`);
  return date;
}

function headerValue(req: SystemRequest, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
