/**
 * Embedded Cosmos DB (NoSQL API) server for local runs and tests: `@vercel/cosmosdb-server`'s
 * store and route handlers over plain HTTP, plus a write journal (acknowledged writes survive a
 * killed process) and an atomic transactional batch.
 *
 * The request loop mirrors the library's `createHttpServer` (same headers and error shapes); it is
 * rebuilt here because the library keeps its Account out of reach, and the journal has to replay
 * into it before the first request and flush before each answer.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { handleBatch } from './cosmos-batch';
import { COSMOS_EMULATOR_KEY } from './cosmos-key';
import { CosmosJournal, DEFAULT_COMPACT_AT_BYTES } from './cosmos-journal';
import { libraryBatchHandler, matchRoute, newAccount } from './cosmosdb-server-shim';
import type { LibAccount } from './cosmosdb-server-shim';

export { COSMOS_EMULATOR_KEY };

/** Where a service process keeps the Cosmos journal inside a data dir. */
export function journalPathFor(dataDir: string): string {
  return path.join(dataDir, 'cosmos', 'journal.ndjson');
}

export interface CosmosServerOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Without a journal the store lives in memory only. */
  journalPath?: string;
  compactAtBytes?: number;
  /** Where unexpected handler errors go; defaults to stderr. */
  log?: (line: string) => void;
}

export interface CosmosServer {
  endpoint: string;
  key: string;
  port: number;
  close(): Promise<void>;
}

const QUERY_METRICS =
  'totalExecutionTimeInMs=0.00;queryCompileTimeInMs=0.00;queryLogicalPlanBuildTimeInMs=0.00;queryPhysicalPlanBuildTimeInMs=0.00;' +
  'queryOptimizationTimeInMs=0.00;VMExecutionTimeInMs=0.00;indexLookupTimeInMs=0.00;documentLoadTimeInMs=0.00;' +
  'systemFunctionExecuteTimeInMs=0.00;userFunctionExecuteTimeInMs=0.00;retrievedDocumentCount=0;retrievedDocumentSize=0;' +
  'outputDocumentCount=1;outputDocumentSize=0;writeOutputTimeInMs=0.00;indexUtilizationRatio=0.00';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function dispatch(
  account: LibAccount,
  journal: CosmosJournal | undefined,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: (line: string) => void
): Promise<unknown> {
  const route = matchRoute(req);
  if (!route) {
    res.statusCode = 400;
    return { message: 'no route' };
  }
  const [params, handler] = route;
  try {
    if (handler === libraryBatchHandler) return await handleBatch(account, journal, req, res, params);
    return await handler(account, req, res, params);
  } catch (err) {
    if (err instanceof SyntaxError) {
      res.statusCode = 400;
      return { code: 'BadRequest', message: err.message };
    }
    log(
      `cosmos: ${req.method ?? ''} ${req.url ?? ''} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
    );
    res.statusCode = 500;
    return { message: errorMessage(err) };
  }
}

async function handleRequest(
  account: LibAccount,
  journal: CosmosJournal | undefined,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  log: (line: string) => void
): Promise<void> {
  let body = await dispatch(account, journal, req, res, log);
  if (res.statusCode > 399 && typeof body === 'object' && body !== null && !('message' in body)) {
    body = { ...body, message: '' };
  }
  try {
    // Durability point: the mutation is in the journal before the client hears about it.
    journal?.flush();
  } catch (err) {
    log(`cosmos: journal write failed: ${errorMessage(err)}`);
    res.statusCode = 500;
    body = { code: 'InternalServerError', message: 'journal write failed' };
  }
  const etag = typeof body === 'object' && body !== null ? (body as { _etag?: unknown })._etag : undefined;
  if (typeof etag === 'string') res.setHeader('etag', etag);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-location', `http://${req.headers.host ?? ''}${req.url ?? ''}`);
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  if (req.headers['x-ms-documentdb-populatequerymetrics'])
    res.setHeader('x-ms-documentdb-query-metrics', QUERY_METRICS);
  if (req.headers['a-im'] && res.statusCode === 200) {
    // Change feed: the library has no change tracking, so it always answers "not modified".
    if (req.headers['if-none-match']) res.statusCode = 304;
    res.setHeader('etag', '1');
  }
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Points the account's advertised locations at this plain-HTTP endpoint (the library says https). */
function advertise(account: LibAccount, endpoint: string): void {
  const meta = account.read() as
    | {
        writableLocations?: { databaseAccountEndpoint: string }[];
        readableLocations?: { databaseAccountEndpoint: string }[];
      }
    | undefined;
  for (const location of [...(meta?.writableLocations ?? []), ...(meta?.readableLocations ?? [])]) {
    location.databaseAccountEndpoint = endpoint;
  }
}

export async function startCosmosServer(opts: CosmosServerOptions = {}): Promise<CosmosServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const account = newAccount(host, opts.port ?? 0);
  const journal = opts.journalPath
    ? new CosmosJournal(opts.journalPath, opts.compactAtBytes ?? DEFAULT_COMPACT_AT_BYTES)
    : undefined;
  // Replay before listening: no request may see a half-restored store.
  const replay = journal?.open(account);
  if (replay?.skippedTornTail) log('cosmos: skipped a torn last journal record (a write cut off by a crash)');

  const server = http.createServer((req, res) => {
    handleRequest(account, journal, req, res, log).catch((err: unknown) => {
      log(`cosmos: unexpected failure: ${errorMessage(err)}`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  // Longer than the SDK's idle sockets live, so a reused connection is not closed under a request.
  server.keepAliveTimeout = 65_000;
  let port: number;
  try {
    port = await listen(server, opts.port ?? 0, host);
  } catch (err) {
    journal?.close();
    throw err;
  }
  const endpoint = `http://${host}:${port}/`;
  advertise(account, endpoint);

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    key: COSMOS_EMULATOR_KEY,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => journal?.close());
      return closing;
    },
  };
}
