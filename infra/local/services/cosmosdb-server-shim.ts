/**
 * The one module that reaches into `@vercel/cosmosdb-server`'s internals (`lib/*`), which the journal
 * and the atomic batch need. The package only exports `createHttpServer`, which keeps its `Account`
 * in a closure, so the server here composes the same building blocks (Account + routes) itself.
 * Everything untyped in the package is narrowed here, once, so the rest of the code stays free of
 * `any`. Internals are not a stable API: the package is pinned to an exact version (package.json),
 * and test/unit/cosmosdb-server-shim.test.ts exercises every internal used here, so an upgrade that
 * breaks one fails that test.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import AccountClass from '@vercel/cosmosdb-server/lib/account';
import CollectionsClass from '@vercel/cosmosdb-server/lib/account/collections';
import DatabasesClass from '@vercel/cosmosdb-server/lib/account/databases';
import DocumentsClass from '@vercel/cosmosdb-server/lib/account/documents';
import ItemsClass from '@vercel/cosmosdb-server/lib/account/items';
import UserDefinedFunctionsClass from '@vercel/cosmosdb-server/lib/account/user-defined-functions';
import libBatchDocuments from '@vercel/cosmosdb-server/lib/handler/batch-documents';
import * as libDocumentOperations from '@vercel/cosmosdb-server/lib/handler/_document-operations';
import * as libPatchOperations from '@vercel/cosmosdb-server/lib/handler/_patch-operations';
import libReadJson from '@vercel/cosmosdb-server/lib/json';
import libRoutes from '@vercel/cosmosdb-server/lib/routes';
import libTrueHeader from '@vercel/cosmosdb-server/lib/true-header';
import { linearQueryCode } from './linear-query-code';
import libGetPartitionFromHeader, {
  parsePartitionKey as libParsePartitionKey,
} from '@vercel/cosmosdb-server/lib/utils/get-partition-from-header';

/** The version this shim was written and tested against (pinned exactly in package.json). */
export const SUPPORTED_COSMOSDB_SERVER_VERSION = '1.0.1';

/** The installed version of `@vercel/cosmosdb-server`. */
export function installedCosmosdbServerVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@vercel/cosmosdb-server/package.json') as { version: string }).version;
}

/** A stored resource (database, collection, document, UDF) with its system properties. */
export interface StoredResource {
  id: string;
  _rid: string;
  _self: string;
  _etag?: string;
  _ts?: number;
  [key: string]: unknown;
}

/** One stored resource; `read()` returns undefined when the lookup found nothing. */
export interface LibItem {
  read(): StoredResource | undefined;
}

/** The library's `Items` container: every mutation goes through `_set` and `delete`. */
export interface LibItems {
  _parent: LibItem;
  _data: Map<string, LibItem>;
  _ridCount: number;
  _set(data: StoredResource): StoredResource;
  delete(idOrRid: string, partition: unknown): void;
  _item(keyPath: string, keyPathValue: string, partition: unknown): LibItem;
  _getId(keyPath: string, id: string, partition: unknown): string;
  _getPartition(data: Record<string, unknown>): unknown;
}

export interface LibUserDefinedFunctions extends LibItems {
  functions: Record<string, unknown>;
}

export interface LibCollection extends LibItem {
  documents: LibItems;
  userDefinedFunctions: LibUserDefinedFunctions;
}

export interface LibDatabase extends LibItem {
  collections: LibItems;
  collection(idOrRid: string): LibCollection;
}

export interface LibAccount extends LibItem {
  databases: LibItems;
  database(idOrRid: string): LibDatabase;
}

export function newAccount(host: string, port: number): LibAccount {
  installLinearQueries();
  return new AccountClass(host, port);
}

/** A compiled query of `@zeit/cosmosdb-query`: `code` is generated on first use into `_code`. */
export interface LibQuery {
  _code: string | null;
  readonly code: string;
  exec(
    documents: unknown[],
    options?: { parameters?: { name: string; value: unknown }[] }
  ): {
    result: unknown[];
  };
}

export interface QueryCompiler {
  _getQuery: (this: LibItems, sql: string) => LibQuery;
}

export const queryCompiler = ItemsClass.prototype as unknown as QueryCompiler;
const libraryGetQuery = queryCompiler._getQuery;

/**
 * Makes every query the server compiles gather its documents in linear time (see linear-query-code.ts).
 * The library caches each compiled query per container, so the rewrite runs once per SQL text.
 */
function installLinearQueries(): void {
  if (queryCompiler._getQuery !== libraryGetQuery) return;
  queryCompiler._getQuery = function linearQuery(this: LibItems, sql: string): LibQuery {
    const query = libraryGetQuery.call(this, sql);
    const code = query.code;
    if (!code.startsWith(linearMark)) query._code = linearMark + linearQueryCode(code);
    return query;
  };
}

/** Marks rewritten code (a comment, ignored when the code runs), so that it is rewritten once. */
const linearMark = '/* linear */';

/** The two mutation entry points every `Items` subclass inherits; replaceable to add journaling. */
export interface ItemsMutators {
  _set: (this: LibItems, data: StoredResource) => StoredResource;
  delete: (this: LibItems, idOrRid: string, partition: unknown) => void;
}

export const itemsPrototype = ItemsClass.prototype as unknown as ItemsMutators;

export type ResourceKind = 'db' | 'coll' | 'doc' | 'udf';

/** Which resource an `Items` container holds; undefined for partition key ranges (not persisted). */
export function kindOf(items: LibItems): ResourceKind | undefined {
  if (items instanceof UserDefinedFunctionsClass) return 'udf';
  if (items instanceof DocumentsClass) return 'doc';
  if (items instanceof CollectionsClass) return 'coll';
  if (items instanceof DatabasesClass) return 'db';
  return undefined;
}

export type OperationResult = { statusCode: number; body?: StoredResource | Record<string, unknown> };

export interface DocumentOperationInput {
  id?: string;
  partitionKey?: string;
  ifMatch?: string;
  resourceBody?: Record<string, unknown>;
}

export interface PatchOperationInput {
  id: string;
  partitionKey?: string;
  ifMatch?: string;
  operations: unknown[];
  condition?: string;
}

type DocOp = (collection: LibCollection, input: DocumentOperationInput) => OperationResult;

export const documentOperations = libDocumentOperations as unknown as {
  createOperation: DocOp;
  upsertOperation: DocOp;
  readOperation: DocOp;
  replaceOperation: DocOp;
  deleteOperation: DocOp;
};

export const patchOperation = libPatchOperations.patchOperation as unknown as (
  collection: LibCollection,
  input: PatchOperationInput
) => OperationResult;

export type RouteHandler = (
  account: LibAccount,
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>
) => unknown;

/** Matches a request to the library's handler; undefined when no route fits. */
export function matchRoute(req: IncomingMessage): [Record<string, string>, RouteHandler] | undefined {
  const route = libRoutes(req) as [Record<string, string>, RouteHandler] | undefined;
  return route ?? undefined;
}

/** The library's own (non-atomic) batch handler, which the server replaces. */
export const libraryBatchHandler = libBatchDocuments as unknown as RouteHandler;

export const readJson = libReadJson as (req: IncomingMessage) => Promise<unknown>;
export const isTrueHeader: (req: IncomingMessage, name: string) => boolean = libTrueHeader;
export const partitionKeyHeader = libGetPartitionFromHeader as (req: IncomingMessage) => string | undefined;
export const parsePartitionKey = libParsePartitionKey as (
  partitionKey: string | undefined,
  defaultValue: unknown
) => unknown;
