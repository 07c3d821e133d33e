// The contract between the embedded Cosmos server and `@vercel/cosmosdb-server`'s internals: every
// internal the shim narrows is used here the way the server, the journal and the batch use it. An
// upgrade of the package that moves, renames or changes one of them fails here first.
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import {
  documentOperations,
  installedCosmosdbServerVersion,
  isTrueHeader,
  itemsPrototype,
  kindOf,
  libraryBatchHandler,
  matchRoute,
  newAccount,
  parsePartitionKey,
  partitionKeyHeader,
  patchOperation,
  queryCompiler,
  readJson,
  SUPPORTED_COSMOSDB_SERVER_VERSION,
  type LibCollection,
} from '../../services/cosmosdb-server-shim';

function request(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body = ''
): IncomingMessage {
  const req = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  Object.assign(req, { method, url, headers });
  return req;
}

function accountWithCollection(): { collection: LibCollection; account: ReturnType<typeof newAccount> } {
  const account = newAccount('127.0.0.1', 8081);
  // `create` is how the library's own handlers add resources (it assigns _rid, _self, _etag, _ts).
  const create = (items: unknown, data: object) => (items as { create(d: object): unknown }).create(data);
  create(account.databases, { id: 'db' });
  create(account.database('db').collections, { id: 'coll', partitionKey: { paths: ['/pk'], kind: 'Hash' } });
  return { account, collection: account.database('db').collection('coll') };
}

it('is the exact version the shim was written for', () => {
  expect(installedCosmosdbServerVersion()).toBe(SUPPORTED_COSMOSDB_SERVER_VERSION);
});

it('builds an account whose databases, collections and documents are Items with _set, delete and _data', () => {
  const { account, collection } = accountWithCollection();
  for (const items of [account.databases, account.database('db').collections, collection.documents]) {
    expect(typeof items._set).toBe('function');
    expect(typeof items.delete).toBe('function');
    expect(items._data).toBeInstanceOf(Map);
    expect(typeof items._ridCount).toBe('number');
    expect(typeof items._item).toBe('function');
    expect(typeof items._getId).toBe('function');
    expect(typeof items._getPartition).toBe('function');
    expect(items._parent).toBeDefined();
  }
  expect(account.database('db').read()).toMatchObject({
    id: 'db',
    _rid: expect.any(String),
    _self: expect.any(String),
  });
  expect(kindOf(account.databases)).toBe('db');
  expect(kindOf(account.database('db').collections)).toBe('coll');
  expect(kindOf(collection.documents)).toBe('doc');
  expect(kindOf(collection.userDefinedFunctions)).toBe('udf');
  expect(typeof collection.userDefinedFunctions.functions).toBe('object');
});

it('sends every create and delete through the Items prototype the journal wraps', () => {
  const originalSet = itemsPrototype._set;
  const originalDelete = itemsPrototype.delete;
  const seen: string[] = [];
  itemsPrototype._set = function (data) {
    const result = originalSet.call(this, data);
    // The journal finds the new Item by its _rid right after the original _set.
    expect(this._data.get(data._rid)?.read()).toMatchObject({ id: data.id });
    // Partition key ranges go through it too; they have no kind and are not journaled.
    if (kindOf(this)) seen.push(`set ${kindOf(this)} ${data.id} rc=${this._ridCount}`);
    return result;
  };
  itemsPrototype.delete = function (idOrRid, partition) {
    const existing = this._item('/id', idOrRid, partition).read();
    originalDelete.call(this, idOrRid, partition);
    seen.push(`delete ${kindOf(this)} ${existing?.id}`);
  };
  try {
    const { collection } = accountWithCollection();
    documentOperations.createOperation(collection, { resourceBody: { id: 'a', pk: 'p1' } });
    documentOperations.deleteOperation(collection, { id: 'a', partitionKey: '["p1"]' });
  } finally {
    itemsPrototype._set = originalSet;
    itemsPrototype.delete = originalDelete;
  }
  expect(seen).toEqual([
    expect.stringMatching(/^set db db rc=\d+$/),
    expect.stringMatching(/^set coll coll rc=\d+$/),
    expect.stringMatching(/^set doc a rc=\d+$/),
    'delete doc a',
  ]);
});

it('runs the document operations the batch uses, with their status codes', () => {
  const { collection } = accountWithCollection();
  const pk = JSON.stringify(['p1']);
  const created = documentOperations.createOperation(collection, {
    resourceBody: { id: 'a', pk: 'p1', n: 1 },
  });
  expect(created.statusCode).toBe(201);
  const etag = (created.body as { _etag: string })._etag;
  expect(
    documentOperations.createOperation(collection, { resourceBody: { id: 'a', pk: 'p1' } }).statusCode
  ).toBe(409);
  expect(documentOperations.readOperation(collection, { id: 'a', partitionKey: pk })).toMatchObject({
    statusCode: 200,
    body: { id: 'a', n: 1 },
  });
  expect(
    documentOperations.replaceOperation(collection, {
      id: 'a',
      partitionKey: pk,
      ifMatch: '"stale"',
      resourceBody: { id: 'a', pk: 'p1', n: 2 },
    }).statusCode
  ).toBe(412);
  expect(
    documentOperations.replaceOperation(collection, {
      id: 'a',
      partitionKey: pk,
      ifMatch: etag,
      resourceBody: { id: 'a', pk: 'p1', n: 2 },
    }).statusCode
  ).toBe(200);
  expect(
    documentOperations.upsertOperation(collection, { partitionKey: pk, resourceBody: { id: 'b', pk: 'p1' } })
      .statusCode
  ).toBe(201);
  expect(
    patchOperation(collection, {
      id: 'a',
      partitionKey: pk,
      operations: [{ op: 'set', path: '/n', value: 3 }],
    })
  ).toMatchObject({ statusCode: 200, body: { n: 3 } });
  expect(documentOperations.deleteOperation(collection, { id: 'b', partitionKey: pk }).statusCode).toBe(204);
  expect(documentOperations.readOperation(collection, { id: 'b', partitionKey: pk }).statusCode).toBe(404);
});

it('routes requests to handlers, batches to the library batch handler the server replaces', () => {
  expect(typeof libraryBatchHandler).toBe('function');
  const batch = matchRoute(
    request('POST', '/dbs/db/colls/coll/docs', { 'x-ms-cosmos-is-batch-request': 'True' })
  );
  expect(batch?.[0]).toMatchObject({ dbId: 'db', collId: 'coll' });
  expect(batch?.[1]).toBe(libraryBatchHandler);
  const read = matchRoute(request('GET', '/dbs/db/colls/coll/docs/a'));
  expect(read?.[0]).toMatchObject({ dbId: 'db', collId: 'coll', docId: 'a' });
  expect(typeof read?.[1]).toBe('function');
  expect(read?.[1]).not.toBe(libraryBatchHandler);
  expect(matchRoute(request('GET', '/nowhere/at/all'))).toBeUndefined();
});

it('reads headers, partition keys and JSON bodies as the batch handler does', async () => {
  const req = request(
    'POST',
    '/dbs/db/colls/coll/docs',
    { 'x-ms-cosmos-batch-atomic': 'True', 'x-ms-documentdb-partitionkey': '["p1"]' },
    '[{"operationType":"Read","id":"a"}]'
  );
  expect(isTrueHeader(req, 'x-ms-cosmos-batch-atomic')).toBe(true);
  expect(isTrueHeader(req, 'x-ms-cosmos-batch-continue-on-error')).toBe(false);
  expect(partitionKeyHeader(req)).toBe('["p1"]');
  expect(parsePartitionKey('["p1"]', 'id')).toBe('p1');
  expect(parsePartitionKey('"p2"', 'id')).toBe('p2');
  expect(parsePartitionKey('[{}]', 'fallback')).toBe('fallback');
  expect(() => parsePartitionKey('not json', 'id')).toThrow();
  expect(await readJson(req)).toEqual([{ operationType: 'Read', id: 'a' }]);
});

it('compiles each query once per container, with its documents gathered in place', () => {
  const { collection } = accountWithCollection();
  const sql = 'SELECT c.id FROM c WHERE c.pk = @pk';
  const query = queryCompiler._getQuery.call(collection.documents, sql);
  expect(query.code.startsWith('/* linear */')).toBe(true);
  expect(query.code).toContain('$.push(');
  expect(queryCompiler._getQuery.call(collection.documents, sql)).toBe(query);
  expect(query.code.match(/\/\* linear \*\//g)).toHaveLength(1);
  const documents = [
    { id: 'a', _rid: '1', pk: 'x' },
    { id: 'b', _rid: '2', pk: 'y' },
  ];
  expect(query.exec(documents, { parameters: [{ name: '@pk', value: 'y' }] }).result).toEqual([{ id: 'b' }]);
});
