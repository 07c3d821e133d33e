import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import { withCosmosErrors } from './cosmos-errors';
import { DocumentStore, type BaseDocument, type Stored } from './document-store';

/** One versioned configuration document to write: created without `etag`, replaced at it with one. */
export interface VersionWrite {
  body: BaseDocument;
  etag?: string;
  /** How errors name it: "policy p-1 version 2". */
  label: string;
}

/**
 * Versioned configuration (policy and journey versions) in one partition of `config`: a batch of
 * version writes is one transaction (all or none), answering each written version's ETag.
 * ConflictError (`existsCode`) when a version to create exists; PreconditionFailedError when a version
 * to replace changed or vanished since its ETag.
 */
export async function writeVersions(
  container: Container,
  partition: string,
  writes: readonly VersionWrite[],
  existsCode: string
): Promise<string[]> {
  const operations: OperationInput[] = writes.map((w) =>
    w.etag === undefined
      ? { operationType: 'Create', resourceBody: asJson(w.body) }
      : { operationType: 'Replace', id: w.body.id, ifMatch: w.etag, resourceBody: asJson(w.body) }
  );
  const what = `${container.id}/${writes[0]!.body.id}`;
  const response = await withCosmosErrors(() => container.items.batch(operations, partition), { what });
  const results = response.result ?? [];
  const statuses = results.map((r) => r.statusCode);
  if (statuses.length === writes.length && statuses.every((s) => s >= 200 && s < 300)) {
    return results.map((r) => r.eTag ?? '');
  }
  const failed = statuses.findIndex((s) => s !== 424 && (s < 200 || s >= 300));
  const label = (writes[failed] ?? writes[0]!).label;
  const status = statuses[failed];
  if (status === 409) throw new ConflictError(`The ${label} exists already.`, { code: existsCode });
  if (status === 412 || status === 404) {
    throw new PreconditionFailedError(`The ${label} has changed meanwhile; read it again and retry.`);
  }
  throw new Error(`Writing ${what} failed with statuses ${statuses.join(', ')}.`);
}

/** Every document of one partition a query finds, page after page. */
export async function queryAllVersions<T extends BaseDocument>(
  store: DocumentStore<T>,
  partition: string,
  sql: string,
  params: Record<string, string>
): Promise<Stored<T>[]> {
  const found: Stored<T>[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await store.query(sql, params, {
      partitionKey: partition,
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    found.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return found;
}

function asJson(value: unknown): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
