import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { openApiPath } from '../../shared/http/openapi';
import { apiClient } from '../support/api-client';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { openApiContract, type OpenApiContract } from '../support/openapi-contract';
import { registeredHttpFunctions, splitApiFunctions } from '../support/registered-http-functions';
import { waitFor } from '../support/wait-for';

// The description the host serves, and real answers of the host checked against it (docs/openapi.md).
// A host with services of its own: on the shared Azurite another file's host could take the order.
const key = 'openapi-key';
let host: HostProcess;
let document: { paths: Record<string, Record<string, { operationId: string }>> };
let contract: OpenApiContract;
// Every answer through this client is checked against the description.
const api = apiClient(
  () => host.url,
  key,
  undefined,
  () => contract
);
const run = Date.now().toString(36);

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-openapi-'));
  host = await startHostProcess({ ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key });
  const res = await fetch(`${host.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  document = (await res.json()) as typeof document;
  contract = openApiContract(document);
});

afterAll(async () => {
  await host?.stop();
});

it('is served without a key and describes every route the app registers', async () => {
  const { api, others } = splitApiFunctions(registeredHttpFunctions().functions);
  expect(api.length).toBeGreaterThan(100);
  expect(others.map((fn) => fn.name)).toEqual(['console']);
  const missing = api.flatMap((fn) =>
    fn.methods
      .filter((m) => document.paths[openApiPath(fn.route)]?.[m.toLowerCase()]?.operationId !== fn.name)
      .map((m) => `${m} ${fn.route}`)
  );
  expect(missing).toEqual([]);
  const swagger = await fetch(`${host.url}/api/openapi2.json`);
  expect(swagger.status).toBe(200);
  expect(await swagger.json()).toMatchObject({ swagger: '2.0', host: new URL(host.url).host });
});

it('matches the answer of every GET route that needs no path parameter', async () => {
  const routes = Object.entries(document.paths)
    .filter(([route, operations]) => operations.get && !route.includes('{'))
    .map(([route]) => route);
  expect(routes.length).toBeGreaterThan(20);
  for (const route of routes) await api.call('GET', route);
});

it('matches real answers: an order accepted, read, listed; fulfillment orders; problems', async () => {
  const accepted = await api.call('POST', '/api/v1/orders', {
    externalId: `${run}-1`,
    currency: 'USD',
    customer: { email: 'ada@example.com' },
    shipTo: { postalCode: '98052', country: 'US' },
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 500 }],
  });
  expect(accepted.status).toBe(202);
  const statusUrl = accepted.body.statusUrl as string;
  await waitFor(async () => ((await api.call('GET', statusUrl)).status === 200 ? true : undefined), {
    what: 'the order to be created',
  });
  expect((await api.call('GET', statusUrl)).status).toBe(200);
  expect((await api.call('GET', `/api/v1/orders?externalId=${run}-1`)).body.items).toHaveLength(1);
  expect((await api.call('GET', '/api/v1/fulfillment-orders?top=5')).status).toBe(200);
  expect((await api.call('GET', '/api/health')).status).toBe(200);

  const invalid = await api.call('POST', '/api/v1/orders', { externalId: `${run}-2`, lines: [] });
  expect(invalid.status).toBe(400);
  expect(invalid.body.errors).toEqual(
    expect.arrayContaining([{ path: '/currency', message: 'is required' }])
  );
  expect((await api.call('GET', '/api/v1/orders/no-such-order')).status).toBe(404);

  const noKey = await fetch(`${host.url}/api/v1/orders`);
  expect(noKey.status).toBe(401);
  contract.expectMatches('GET', '/api/v1/orders', 401, await noKey.json());
});
