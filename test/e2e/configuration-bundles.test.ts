import type { CosmosClient } from '@azure/cosmos';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import { createCosmosClient } from '../../shared/adapters/cosmos/cosmos-client';
import { apiClient, type Json } from '../support/api-client';
import { sharedServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';

// The ALM story (docs/configuration.md): a configuration made on one instance, exported as a bundle,
// imported into another instance with its own data dir and database, exported again.
const key = 'config-bundles-key';
const run = Date.now().toString(36);
const databases = { a: `config-a-${run}`, b: `config-b-${run}` };
const secrets = { shop: `shop-webhook-${run}`, avatax: `avatax-license-${run}` };
let hostA: HostProcess;
let hostB: HostProcess;
let cosmos: CosmosClient;
const a = apiClient(() => hostA.url, key);
const b = apiClient(() => hostB.url, key);

interface Bundle {
  format: string;
  version: number;
  items: { kind: string; id: string; content: Json; published?: boolean }[];
}

async function exportText(host: HostProcess): Promise<string> {
  const res = await fetch(`${host.url}/api/v1/config/export`, { headers: { 'x-functions-key': key } });
  expect([res.status, res.headers.get('content-type')]).toEqual([
    200,
    expect.stringContaining('application/json'),
  ]);
  return res.text();
}

/**
 * A host on the run's Cosmos server with a database of its own, and an Azurite of its own: hosts on
 * one Azurite share its queues, so another file's host would take this one's messages (and the
 * other way round) and write them to the wrong database.
 */
function host(database: string, dir: string): Promise<HostProcess> {
  return startHostProcess({
    ...sharedServicesEnv(),
    AzureWebJobsStorage: '',
    COSMOS_DATABASE: database,
    OPENIOM_FUNCTIONS_KEY: key,
    OPENIOM_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), dir)),
  });
}

/** Every configuration document's ETag in one instance's database (config and the sources in catalog). */
async function etags(database: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const [container, sql] of [
    ['config', 'SELECT c.id, c._etag FROM c'],
    ['catalog', "SELECT c.id, c._etag FROM c WHERE c.type = 'source'"],
  ] as const) {
    const { resources } = await cosmos
      .database(database)
      .container(container)
      .items.query<{ id: string; _etag: string }>(sql)
      .fetchAll();
    for (const doc of resources) found[`${container}/${doc.id}`] = doc._etag;
  }
  return found;
}

const orderJourney = {
  type: 'order',
  name: 'Taxed USD orders',
  steps: [
    {
      name: 'Validate order header',
      action: 'validateOrderHeader',
      inputEvents: ['New Order'],
      filterPolicyId: 'usd-only',
      successEvent: 'Header ok',
    },
    {
      name: 'Calculate tax',
      action: 'custom',
      inputEvents: ['Header ok'],
      providerAction: { instanceId: 'avatax', action: 'calculateTax' },
      successEvent: 'Tax Calculated',
    },
    {
      name: 'Thank the customer',
      action: 'sendEmail',
      inputEvents: ['Tax Calculated'],
      emailTemplateId: 'thanks',
      successEvent: 'Thanked',
    },
    { kind: 'exit', name: 'Done', inputEvents: ['Thanked'] },
  ],
};

beforeAll(async () => {
  [hostA, hostB] = await Promise.all([
    host(databases.a, 'openiom-config-a-'),
    host(databases.b, 'openiom-config-b-'),
  ]);
  cosmos = createCosmosClient({ endpoint: process.env.COSMOS_ENDPOINT!, key: process.env.COSMOS_KEY ?? 'x' });
  // The first instance configured through its API, as a user would.
  await a.ok('PUT', '/api/v1/mapping-groups/shop-skus', {
    name: 'Shop SKUs',
    mappings: [{ type: 'sku', external: 'IPOD2008PINK', internal: 'ipod-pink' }],
  });
  await a.ok('PUT', '/api/v1/transformations/shop-orders', {
    messageType: 'orders/create',
    provider: 'shopify',
    copyOf: { provider: 'shopify', messageType: 'orders/create' },
  });
  await a.ok('PUT', '/api/v1/provider-instances/shop', {
    provider: 'shopify',
    active: true,
    parameters: { shopUrl: 'https://openiom-config.myshopify.com' },
    secrets: { webhookSecret: secrets.shop },
    mappingGroupId: 'shop-skus',
    transformations: { 'orders/create': 'shop-orders' },
  });
  await a.ok('PUT', '/api/v1/provider-instances/avatax', {
    provider: 'avalara',
    active: true,
    parameters: { baseUrl: 'http://127.0.0.1:9/avatax', companyCode: 'OPENIOM' },
    secrets: { licenseKey: secrets.avatax },
  });
  await a.ok('PUT', '/api/v1/sources/dal', {
    name: 'Dallas DC',
    type: 'warehouse',
    address: { postalCode: '75201', country: 'US' },
    online: true,
  });
  await a.ok('PUT', '/api/v1/sources/sea', {
    name: 'Seattle store',
    type: 'store',
    address: { postalCode: '98101', country: 'US' },
    location: { lat: 47.61, lon: -122.33 },
    online: true,
    priority: 2,
  });
  await a.ok('PUT', '/api/v1/source-lists/west', { name: 'West first', sourceIds: ['sea', 'dal'] });
  await a.ok('PUT', '/api/v1/fulfillment/strategies/nearest', {
    isDefault: true,
    objective: 'distance',
    sourceListId: 'west',
    constraints: [{ type: 'maxDistanceKm', value: 3000, hard: true }],
  });
  await a.ok('PUT', '/api/v1/alert-rules/stuck-orders', {
    name: 'Orders stuck before fulfillment',
    kind: 'orderNotSentToFulfillment',
    after: { minutes: 30 },
    recipients: ['ops@example.com'],
  });
  await a.ok('PUT', '/api/v1/email-templates/thanks', {
    subject: 'Thanks for order {{order.externalId}}',
    text: 'We have your order.',
  });
  for (const [id, publish] of [
    ['usd-only', true],
    ['draft-only', false],
  ] as const) {
    await a.ok('POST', '/api/v1/policies', {
      id,
      name: id,
      kind: 'filter',
      entityType: 'order',
      criticality: 'critical',
      rule: { path: 'currency', operator: 'equals', value: 'USD' },
    });
    if (publish) await a.ok('POST', `/api/v1/policies/${id}/publish`);
  }
  await a.ok('PUT', '/api/v1/states', {
    states: [{ entityType: 'order', name: 'awaiting payment', timelinePosition: 1.5 }],
    transitions: [
      { entityType: 'order', event: 'New Order', sourceState: 'new', targetState: 'awaiting payment' },
    ],
  });
  const measures = (await a.ok('GET', '/api/v1/inventory/measures')) as {
    physical: Json[];
    calculated: Json[];
  };
  await a.ok('PUT', '/api/v1/inventory/measures', {
    physical: [...measures.physical, { name: 'damaged' }],
    calculated: measures.calculated,
  });
  await a.ok('PUT', '/api/v1/journeys/taxed', orderJourney);
  await a.ok('POST', '/api/v1/journeys/taxed/publish');
}, 120_000);

afterAll(async () => {
  await Promise.all([hostA?.stop(), hostB?.stop()]);
});

let exportedA: string;

it('exports every document without secrets, imports it into an empty instance, and exports the same bytes again', async () => {
  exportedA = await exportText(hostA);
  const bundle = JSON.parse(exportedA) as Bundle;
  expect([bundle.format, bundle.version]).toEqual(['openiom-config', 1]);
  expect(
    bundle.items.map((i) => `${i.kind}/${i.id}${i.published === undefined ? '' : ` ${i.published}`}`)
  ).toEqual([
    'alert-rule/stuck-orders',
    'email-template/thanks',
    'fulfillment-strategy/nearest',
    'inventory-measures/inventory-measures',
    'journey/taxed true',
    'mapping-group/shop-skus',
    'policy/draft-only false',
    'policy/usd-only true',
    'provider-instance/avatax',
    'provider-instance/shop',
    'source/dal',
    'source/sea',
    'source-list/west',
    'state-framework/state-framework',
    'transformation/shop-orders',
  ]);
  expect(exportedA).not.toContain(secrets.shop);
  expect(exportedA).not.toContain(secrets.avatax);
  expect(exportedA).not.toContain('"secrets"');
  expect(exportedA).not.toMatch(/"(createdAt|updatedAt|_etag|_ts)"/);
  expect(exportedA.endsWith('\n')).toBe(true);

  const dryRun = await b.ok('POST', '/api/v1/config/import?dryRun=true', bundle);
  expect(dryRun).toMatchObject({ dryRun: true, changed: [], removed: [], unchanged: 0 });
  expect((dryRun.added as unknown[]).length).toBe(15);
  expect(JSON.parse(await exportText(hostB))).toEqual({ format: 'openiom-config', version: 1, items: [] });

  const imported = await b.ok('POST', '/api/v1/config/import', bundle);
  expect(imported).toMatchObject({ dryRun: false, changed: [], removed: [], unchanged: 0 });
  expect((imported.added as unknown[]).length).toBe(15);
  expect(imported.secretsToSet).toEqual([
    { instanceId: 'avatax', secrets: ['accountId', 'licenseKey'] },
    { instanceId: 'shop', secrets: ['webhookSecret', 'accessToken'] },
  ]);
  expect(await exportText(hostB)).toBe(exportedA);

  // Published as a user would publish: version 1 in force on the target, the draft left a draft.
  const journey = await b.ok('GET', '/api/v1/journeys/taxed');
  expect(journey).toMatchObject({ status: 'published', version: 1 });
  expect(await b.ok('GET', '/api/v1/policies/draft-only')).toMatchObject({ status: 'draft', version: 1 });
}, 120_000);

it('imports the same bundle twice: the second time nothing changes, not one ETag', async () => {
  const before = await etags(databases.b);
  // Versions of policies and journeys are documents of their own: more documents than items.
  expect(Object.keys(before).length).toBeGreaterThanOrEqual(15);
  const again = await b.ok('POST', '/api/v1/config/import', JSON.parse(exportedA));
  expect(again).toEqual({
    dryRun: false,
    added: [],
    changed: [],
    removed: [],
    unchanged: 15,
    secretsToSet: expect.any(Array),
  });
  expect(await etags(databases.b)).toEqual(before);
});

it('answers a dry run of a changed bundle with exactly the changes, and applies them', async () => {
  const bundle = JSON.parse(exportedA) as Bundle;
  const item = (kind: string, id: string) => bundle.items.find((i) => i.kind === kind && i.id === id)!;
  (item('policy', 'usd-only').content.rule as Json).value = 'EUR';
  item('email-template', 'thanks').content.subject = 'Merci';
  bundle.items = bundle.items.filter((i) => !(i.kind === 'policy' && i.id === 'draft-only'));
  bundle.items.push({ kind: 'mapping-group', id: 'erp-units', content: { mappings: [] } });
  const dryRun = await b.ok('POST', '/api/v1/config/import?dryRun=true', bundle);
  expect(dryRun).toEqual({
    dryRun: true,
    added: [{ kind: 'mapping-group', id: 'erp-units' }],
    changed: [
      { kind: 'email-template', id: 'thanks', paths: ['/content/subject'] },
      { kind: 'policy', id: 'usd-only', paths: ['/content/rule/value'] },
    ],
    removed: [{ kind: 'policy', id: 'draft-only' }],
    unchanged: 12,
    secretsToSet: expect.any(Array),
  });
  expect(await exportText(hostB)).toBe(exportedA);

  await b.ok('POST', '/api/v1/config/import', bundle);
  // The policy's edit became version 2 and was published again; the one left out stays.
  expect(await b.ok('GET', '/api/v1/policies/usd-only')).toMatchObject({ version: 2, status: 'published' });
  const after = JSON.parse(await exportText(hostB)) as Bundle;
  expect(after.items.length).toBe(16);
  expect(after.items.find((i) => i.id === 'usd-only')?.content.rule).toEqual({
    path: 'currency',
    operator: 'equals',
    value: 'EUR',
  });
});

it('refuses a bundle with a secret in it, one that references what it does not contain, and odd items, changing nothing', async () => {
  const before = await etags(databases.b);
  const withSecret = JSON.parse(exportedA) as Bundle;
  const index = withSecret.items.findIndex((i) => i.id === 'shop');
  withSecret.items[index]!.content.secrets = { webhookSecret: 'leaked' };
  const refused = await b.call('POST', '/api/v1/config/import', withSecret);
  expect(refused.status).toBe(400);
  expect(refused.body.errors).toEqual([
    { path: `/items/${index}/content/secrets`, message: expect.any(String) },
  ]);

  const missing = JSON.parse(exportedA) as Bundle;
  missing.items = missing.items.filter((i) => i.id !== 'usd-only');
  const journeyIndex = missing.items.findIndex((i) => i.id === 'taxed');
  const unresolved = await b.call('POST', '/api/v1/config/import?dryRun=true', missing);
  expect(unresolved.status).toBe(400);
  expect(unresolved.body.errors).toEqual([
    {
      path: `/items/${journeyIndex}/content/steps/0/filterPolicyId`,
      message: 'journey taxed references policy usd-only, which the bundle does not contain',
    },
  ]);

  const odd = JSON.parse(exportedA) as Bundle;
  const group = odd.items.findIndex((i) => i.kind === 'mapping-group');
  odd.items[group]!.published = true;
  odd.items.push({ kind: 'warp-drive', id: 'x', content: {} }, { ...odd.items[0]! });
  const refusedOdd = await b.call('POST', '/api/v1/config/import', odd);
  expect(refusedOdd.status).toBe(400);
  expect((refusedOdd.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
    `/items/${group}/published`,
    `/items/${odd.items.length - 2}/kind`,
    `/items/${odd.items.length - 1}/id`,
  ]);
  expect(await etags(databases.b)).toEqual(before);
});

it('puts back the items of a kind written before one of that kind failed, and answers the failing item', async () => {
  const before = await exportText(hostB);
  const bundle = JSON.parse(before) as Bundle;
  const usd = bundle.items.find((i) => i.id === 'usd-only')!;
  usd.content.name = 'Renamed before a failure';
  // Valid as a bundle item; its policy use case refuses the rule, after usd-only (sorted first) was written.
  bundle.items.push({
    kind: 'policy',
    id: 'zz-broken',
    published: true,
    content: { ...usd.content, rule: { path: 'currency', operator: 'resembles', value: 'USD' } },
  });
  const failed = await b.call('POST', '/api/v1/config/import', bundle);
  expect(failed.status).toBe(400);
  expect(failed.body.detail).toContain('policy zz-broken was refused');
  expect((failed.body.errors as { path: string }[])[0]!.path).toMatch(
    new RegExp(`^/items/${bundle.items.length - 1}/content/rule`)
  );
  expect(await exportText(hostB)).toBe(before);
});
