/**
 * Transactional batch for the embedded Cosmos server, replacing the library's handler, which
 * neither rolls back nor understands @azure/cosmos 4.x (that SDK sends the batch's partition key
 * only in the `x-ms-documentdb-partitionkey` header, not per operation).
 *
 * Answers as the Cosmos gateway does: 200 when every operation succeeded; otherwise 207
 * Multi-Status with the per-operation outcomes. In an atomic batch the failing operation keeps its
 * own status and every other one reports 424 Failed Dependency. (@azure/cosmos throws on any HTTP
 * status >= 400 and then loses the per-operation results, so a failed batch must not be 4xx.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  documentOperations,
  isTrueHeader,
  parsePartitionKey,
  partitionKeyHeader,
  patchOperation,
  readJson,
} from './cosmosdb-server-shim';
import type {
  LibAccount,
  LibCollection,
  LibItems,
  OperationResult,
  StoredResource,
} from './cosmosdb-server-shim';
import type { CosmosJournal } from './cosmos-journal';

const OPERATION_TYPES = ['Create', 'Upsert', 'Read', 'Replace', 'Delete', 'Patch'] as const;
type OperationType = (typeof OPERATION_TYPES)[number];

interface BatchOperation {
  operationType: OperationType;
  id?: string;
  partitionKey?: string;
  ifMatch?: string;
  resourceBody?: unknown;
}

interface BatchOperationResponse {
  statusCode: number;
  requestCharge: number;
  eTag?: string;
  resourceBody?: unknown;
}

const FAILED_DEPENDENCY: BatchOperationResponse = { statusCode: 424, requestCharge: 0 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toOperation(value: unknown): BatchOperation | undefined {
  if (!isRecord(value)) return undefined;
  const type = value.operationType;
  if (typeof type !== 'string' || !(OPERATION_TYPES as readonly string[]).includes(type)) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    operationType: type as OperationType,
    id: str(value.id),
    partitionKey: str(value.partitionKey),
    ifMatch: str(value.ifMatch),
    resourceBody: value.resourceBody,
  };
}

/** Remembers each touched document as it was before the batch, to restore it exactly. */
class UndoLog {
  private readonly before = new Map<
    string,
    { id: string; partition: unknown; data: StoredResource | undefined }
  >();
  private readonly ridCount: number;

  constructor(private readonly documents: LibItems) {
    this.ridCount = documents._ridCount;
  }

  capture(id: string | undefined, partition: unknown): void {
    if (typeof id !== 'string') return;
    const key = this.documents._getId('/id', id, partition);
    if (this.before.has(key)) return;
    this.before.set(key, { id, partition, data: this.documents._item('/id', id, partition).read() });
  }

  restore(): void {
    // Remove every touched document first, then put the originals back, so unique keys that
    // moved between documents inside the batch cannot collide while restoring.
    for (const { id, partition } of this.before.values()) {
      if (this.documents._item('/id', id, partition).read()) this.documents.delete(id, partition);
    }
    for (const { data } of this.before.values()) {
      if (data) this.documents._set(data);
    }
    this.documents._ridCount = this.ridCount;
  }
}

function tryParsePartition(partitionKey: string | undefined, id: string | undefined): unknown {
  try {
    return parsePartitionKey(partitionKey, id);
  } catch {
    return undefined;
  }
}

/** The documents an operation may change, found the same ways the library's operations look them up. */
function captureTargets(
  undo: UndoLog,
  collection: LibCollection,
  op: BatchOperation,
  partitionKey: string | undefined
): void {
  if (op.operationType === 'Read') return;
  const body = isRecord(op.resourceBody) ? op.resourceBody : undefined;
  const bodyId = typeof body?.id === 'string' ? body.id : undefined;
  if (bodyId !== undefined && body) {
    undo.capture(bodyId, collection.documents._getPartition(body));
    undo.capture(bodyId, tryParsePartition(partitionKey, bodyId));
  }
  if (op.id !== undefined) undo.capture(op.id, tryParsePartition(partitionKey, op.id));
}

function errorResult(err: unknown): OperationResult {
  const flags = err as { badRequest?: boolean; conflict?: boolean; message?: string };
  if (flags.conflict) return { statusCode: 409, body: { code: 'Conflict', message: flags.message ?? '' } };
  if (flags.badRequest || /Failed to parse/.test(flags.message ?? '')) {
    return { statusCode: 400, body: { code: 'BadRequest', message: flags.message ?? '' } };
  }
  return { statusCode: 500, body: { code: 'InternalServerError', message: flags.message ?? String(err) } };
}

function runOperation(
  collection: LibCollection,
  op: BatchOperation,
  partitionKey: string | undefined
): OperationResult {
  const resourceBody = isRecord(op.resourceBody) ? op.resourceBody : undefined;
  const input = { id: op.id, partitionKey, ifMatch: op.ifMatch, resourceBody };
  try {
    switch (op.operationType) {
      case 'Create':
        return documentOperations.createOperation(collection, input);
      case 'Upsert':
        return documentOperations.upsertOperation(collection, input);
      case 'Read':
        return documentOperations.readOperation(collection, input);
      case 'Replace':
        return documentOperations.replaceOperation(collection, input);
      case 'Delete':
        return documentOperations.deleteOperation(collection, input);
      case 'Patch': {
        // The SDK sends either the bare operations array or `{ operations, condition }`.
        const operations = Array.isArray(op.resourceBody)
          ? (op.resourceBody as unknown[])
          : resourceBody?.operations;
        if (op.id === undefined || !Array.isArray(operations)) {
          return {
            statusCode: 400,
            body: { code: 'BadRequest', message: 'Invalid patch operation in batch.' },
          };
        }
        const condition = typeof resourceBody?.condition === 'string' ? resourceBody.condition : undefined;
        return patchOperation(collection, {
          id: op.id,
          partitionKey,
          ifMatch: op.ifMatch,
          operations,
          condition,
        });
      }
    }
  } catch (err) {
    return errorResult(err);
  }
}

function toResponse(result: OperationResult): BatchOperationResponse {
  if (result.statusCode >= 400) return { statusCode: result.statusCode, requestCharge: 0 };
  const etag = result.body?._etag;
  return {
    statusCode: result.statusCode,
    requestCharge: 1,
    eTag: typeof etag === 'string' ? etag : undefined,
    resourceBody: result.body,
  };
}

/** Route handler for `POST /dbs/:dbId/colls/:collId/docs` with `x-ms-cosmos-is-batch-request`. */
export async function handleBatch(
  account: LibAccount,
  journal: CosmosJournal | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>
): Promise<unknown> {
  const body = await readJson(req);
  const collection = account.database(params.dbId ?? '').collection(params.collId ?? '');
  if (!collection.read()) {
    res.statusCode = 404;
    return { code: 'NotFound', message: 'Resource Not Found' };
  }
  if (!Array.isArray(body)) {
    res.statusCode = 400;
    return { code: 'BadRequest', message: 'Invalid request body' };
  }
  const operations = body.map(toOperation);
  const unsupported = operations.findIndex((op) => op === undefined);
  if (unsupported >= 0) {
    res.statusCode = 400;
    return { code: 'BadRequest', message: `Operation ${unsupported} has an unsupported operationType.` };
  }
  // Without the header the library treats a batch as non-atomic (bulk); @azure/cosmos batch() sets it.
  const atomic = isTrueHeader(req, 'x-ms-cosmos-batch-atomic');
  const continueOnError = !atomic && isTrueHeader(req, 'x-ms-cosmos-batch-continue-on-error');
  const headerPartitionKey = partitionKeyHeader(req);

  const undo = atomic ? new UndoLog(collection.documents) : undefined;
  if (atomic) journal?.begin();
  let settled = false;
  try {
    const responses: BatchOperationResponse[] = [];
    let failedAt = -1;
    for (const op of operations as BatchOperation[]) {
      if (failedAt >= 0 && !continueOnError) {
        responses.push(FAILED_DEPENDENCY);
        continue;
      }
      const partitionKey = op.partitionKey ?? headerPartitionKey;
      if (undo) captureTargets(undo, collection, op, partitionKey);
      const result = runOperation(collection, op, partitionKey);
      if (result.statusCode >= 400 && failedAt < 0) failedAt = responses.length;
      responses.push(toResponse(result));
    }
    if (failedAt < 0) {
      if (atomic) journal?.commit();
      settled = true;
      res.statusCode = 200;
      return responses;
    }
    if (undo) {
      undo.restore();
      journal?.rollback();
      settled = true;
      res.statusCode = 207;
      return responses.map((response, i) => (i === failedAt ? response : FAILED_DEPENDENCY));
    }
    settled = true;
    res.statusCode = 207;
    return responses;
  } finally {
    if (!settled && atomic) {
      // An unexpected throw: leave the store and the journal as they were before the batch.
      undo?.restore();
      journal?.rollback();
    }
  }
}
