import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from '../support/api-client';
import { launchConsoleBrowser, saveScreenshot, watchedPage } from '../support/console-browser';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// The console's dashboard, journeys, inventory, providers and alerts pages (docs/console.md) in a real
// Chromium against one local host with its own services and the default journeys: each page shows
// what the API answers, and its actions (publish, re-check holds, preview, acknowledge) work.
// A full-page screenshot of each page is kept in test/artifacts/console/.
const key = 'console-pages-key';
const run = Date.now().toString(36);
const sku = `SKU-P-${run}`;
const source = 'WH-PAGES';
let host: HostProcess;
let browser: Browser;
let page: Page;
const { ok, call } = apiClient(() => host.url, key);
let pageErrors: () => string[];

async function screenshot(name: string): Promise<void> {
  await saveScreenshot(page, name);
}

async function postOrder(
  externalId: string,
  quantity: number,
  customer: Record<string, string>
): Promise<string> {
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId,
    channel: 'console-pages',
    currency: 'USD',
    customer,
    shipTo: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' },
    lines: [{ sku, quantity, unitPrice: 500 }],
  });
  return accepted.orderId as string;
}

const utcDay = (daysFromToday: number): string =>
  new Date(Date.now() + daysFromToday * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-console-pages-'));
  [host, browser] = await Promise.all([
    startHostProcess(
      { ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key, OPENIOM_SEED_JOURNEYS: 'true' },
      90_000
    ),
    launchConsoleBrowser(),
  ]);
  await ok('PUT', `/api/v1/products/${sku}`, { name: 'Console pages mug' });
  await ok('PUT', `/api/v1/sources/${source}`, {
    name: 'Pages warehouse',
    type: 'warehouse',
    address: { postalCode: '10001', city: 'New York', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku, sourceId: source, measure: 'onhand', quantity: 50 },
  ]);
  await ok('PUT', `/api/v1/inventory/schedules/po-${run}`, {
    sku,
    sourceId: source,
    kind: 'supply',
    quantity: 30,
    date: utcDay(2),
    reference: 'PO-PAGES',
  });
  await ok('PUT', `/api/v1/inventory/schedules/so-${run}`, {
    sku,
    sourceId: source,
    kind: 'demand',
    quantity: 20,
    date: utcDay(4),
  });
  // Any script error or CSP refusal in the console fails the test that caused it.
  ({ page, errors: pageErrors } = await watchedPage(browser));
  await page.goto(`${host.url}/`);
  await page.getByLabel('Function key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
}, 120_000);

afterEach(() => {
  expect(pageErrors()).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** Every figure the dashboard shows, by its metric path. */
async function shownMetrics(): Promise<Record<string, number>> {
  const cells = await page.locator('#dashboard [data-metric]').all();
  const pairs = await Promise.all(
    cells.map(async (cell) => [await cell.getAttribute('data-metric'), Number(await cell.textContent())])
  );
  return Object.fromEntries(pairs) as Record<string, number>;
}

const sorted = (figures: Record<string, number>): string =>
  JSON.stringify(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));

/** The figures of GET /api/v1/metrics by their path (`errorLists.byList.policy.open`). */
function flatten(value: unknown, prefix = ''): Record<string, number> {
  if (typeof value === 'number') return { [prefix]: value };
  if (typeof value !== 'object' || value === null) return {};
  return Object.assign(
    {},
    ...Object.entries(value).map(([name, inner]) => flatten(inner, prefix ? `${prefix}.${name}` : name))
  ) as Record<string, number>;
}

describe('the console pages', () => {
  it('dashboard: shows exactly the counters GET /api/v1/metrics answers, and leads to the orders of a state', async () => {
    const orderId = await postOrder(`pages-${run}-dash`, 1, { email: 'dash@example.com' });
    await waitFor(
      async () =>
        ((await ok('GET', `/api/v1/orders/${orderId}`)).fulfillmentOrders as unknown[]).length > 0 ||
        undefined,
      { what: 'the order to reach its fulfillment orders', timeoutMs: 60_000 }
    );
    // The figures move while journeys run: read both until they agree.
    const agreed = await waitFor(
      async () => {
        await Promise.all([
          page.waitForResponse((response) => response.url().endsWith('/api/v1/metrics')),
          page.getByRole('button', { name: 'Refresh' }).click(),
        ]);
        const shown = await shownMetrics();
        const { at: _at, ...answer } = await ok('GET', '/api/v1/metrics');
        // Every figure of the answer is shown, and nothing else.
        return sorted(shown) === sorted(flatten(answer)) ? shown : undefined;
      },
      { what: 'the dashboard to show the answer of GET /api/v1/metrics', timeoutMs: 30_000 }
    );
    expect(agreed['intake.received']).toBeGreaterThanOrEqual(1);
    expect(agreed['orders.total']).toBeGreaterThanOrEqual(1);
    await screenshot('dashboard');

    const state = 'fulfillment in process';
    await page.locator('#orders-by-state').getByRole('link', { name: state, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    expect(await page.getByLabel('State').inputValue()).toBe(state);
    await page
      .getByRole('row')
      .filter({ hasText: `pages-${run}-dash` })
      .waitFor();
  });

  it('inventory: measures, the ATP chart with its table, a held line released by the re-check', async () => {
    const heldOrder = await postOrder(`pages-${run}-held`, 70, { email: 'held@example.com' });
    await waitFor(
      async () =>
        (
          (await ok('GET', `/api/v1/inventory/holds?sku=${sku}&state=held`)).items as { orderId: string }[]
        ).find((hold) => hold.orderId === heldOrder),
      { what: 'the order line on backorder hold', timeoutMs: 60_000 }
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByLabel('SKU').fill(sku);
    await page.getByLabel('Days').fill('7');
    await page.getByRole('button', { name: 'Query' }).click();
    const figure = page.locator(`figure.atp[data-source="${source}"]`);
    await figure.waitFor();
    expect(await figure.locator('svg rect.bar').count()).toBe(7);
    expect(await figure.locator('svg polyline.atp-line').count()).toBe(1);
    expect(await figure.locator('svg title').textContent()).toContain(
      `Available to promise of ${sku} at ${source}`
    );

    const { items } = (await ok('POST', '/api/v1/inventory/atp', {
      skus: [sku],
      sourceIds: [source],
      days: 7,
    })) as {
      items: { days: { date: string; atp: number; projected: number }[] }[];
    };
    const atpTable = figure.getByRole('table', { name: /Available to promise/ });
    const rows = await Promise.all(
      (await atpTable.locator('tbody tr').all()).map((row) => row.locator('td').allTextContents())
    );
    expect(rows.map((cells) => [cells[0], Number(cells[4]), Number(cells[5])])).toEqual(
      items[0]!.days.map((day) => [day.date, day.projected, day.atp])
    );
    expect(rows.find((cells) => cells[0] === utcDay(2))![2]).toBe('30');
    const measures = page.getByRole('table', { name: `Measures of ${sku} by source` });
    await measures.getByRole('cell', { name: source }).waitFor();

    const held = page.locator('#holds').getByRole('row').filter({ hasText: heldOrder });
    await held.waitFor();
    expect(await held.textContent()).toContain('backorder');
    await screenshot('inventory');

    await ok('POST', '/api/v1/inventory/onhand/set', [
      { sku, sourceId: source, measure: 'onhand', quantity: 500 },
    ]);
    await page.getByRole('button', { name: 'Re-check held lines now' }).click();
    await page.getByRole('status').filter({ hasText: 'Re-checked held lines: 1 released' }).waitFor();
    await page.locator('#holds').getByRole('cell', { name: 'None.' }).waitFor();

    // A period the API refuses (a link typed by hand; the form itself asks for 1–366): its problem
    // names the field, and the form stays to correct it.
    await page.goto(`${host.url}/#/inventory?sku=${sku}&days=0`);
    await page.locator('#alerts').getByText('/days').waitFor();
    expect(await page.getByLabel('SKU').inputValue()).toBe(sku);
  });

  it('providers: instances show which secrets are set and never their values; a preview shows output and problems', async () => {
    const instanceId = `pages-json-${run}`;
    const secret = `never-shown-${run}`;
    await ok('PUT', `/api/v1/mapping-groups/${instanceId}`, {
      name: 'Pages SKUs',
      mappings: [{ type: 'sku', external: 'THEIR-MUG', internal: sku }],
    });
    await ok('PUT', `/api/v1/provider-instances/${instanceId}`, {
      provider: 'generic-json',
      active: true,
      secrets: { webhookSecret: secret },
      mappingGroupId: instanceId,
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Providers' }).click();
    const instanceRow = page
      .getByRole('table', { name: 'Provider instances' })
      .getByRole('row')
      .filter({ hasText: instanceId });
    await instanceRow.waitFor();
    expect(await instanceRow.locator('[data-secret="webhookSecret"]').textContent()).toBe(
      'webhookSecret: set'
    );
    expect(await page.locator('main').textContent()).not.toContain(secret);

    await page.getByLabel('Provider', { exact: true }).selectOption('generic-json');
    await page.getByLabel('Message type').selectOption('order');
    await page.getByLabel('Mapping group', { exact: true }).selectOption(instanceId);
    await page.getByLabel(/Sample message/).fill(
      JSON.stringify({
        externalId: `pages-${run}-preview`,
        currency: 'USD',
        customer: { email: 'preview@example.com' },
        shipTo: { postalCode: '10001', country: 'US' },
        lines: [
          { sku: 'THEIR-MUG', quantity: 1 },
          { sku: 'NOBODY-KNOWS', quantity: 2 },
        ],
      })
    );
    await page
      .getByLabel(/Own transformation/)
      .fill(`$merge([$, { 'lines': [lines.$merge([$, { 'sku': $mapValue('sku', sku) }])] }])`);
    await page.getByRole('button', { name: 'Preview' }).click();
    const output = page.getByLabel('Preview output');
    await output.waitFor();
    const shown = JSON.parse((await output.textContent())!) as { lines: { sku: string }[] };
    expect(shown.lines.map((line) => line.sku)).toEqual([sku, 'NOBODY-KNOWS']);
    await page
      .locator('#preview-result')
      .getByText(/NOBODY-KNOWS/)
      .first()
      .waitFor();
    expect(await page.locator('#preview-result .problem-paths').textContent()).toContain('/lines');
    await screenshot('providers');
  });

  it('alerts: a raised alert is listed with its order and acknowledged from the console', async () => {
    const externalId = `pages-${run}-stuck`;
    const orderId = await postOrder(externalId, 1, {});
    await waitFor(
      async () => {
        const answer = await call('GET', `/api/v1/orders/${orderId}`);
        return (answer.body.journey as { status?: string } | null)?.status === 'failed' || undefined;
      },
      { what: 'the order without a customer to fail validation', timeoutMs: 60_000 }
    );
    await ok('PUT', `/api/v1/alert-rules/stuck-${run}`, {
      name: 'Stuck before fulfillment',
      kind: 'orderNotSentToFulfillment',
      after: { minutes: 30 },
      severity: 'critical',
    });
    const evaluation = await ok('POST', '/api/v1/alerts/evaluate', {
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const raised = (evaluation.raised as { entityId: string; message: string }[]).find(
      (alert) => alert.entityId === orderId
    );
    expect(raised).toBeDefined();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: orderId }) });
    await row.waitFor();
    expect(await row.textContent()).toContain('critical');
    await page.getByRole('table', { name: 'Alert rules' }).getByText('Stuck before fulfillment').waitFor();
    await screenshot('alerts');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await row.locator('[data-state="acknowledged"]').waitFor();
    await page.getByRole('status').filter({ hasText: 'Acknowledged' }).waitFor();
    const listed = await ok('GET', `/api/v1/alerts?entityId=${orderId}`);
    expect((listed.items as { state: string }[]).map((alert) => alert.state)).toEqual(['acknowledged']);
  });

  it('journeys: a refused publish shows its problem on the step; a draft published from the console is in force', async () => {
    const journeyId = `pages-returns-${run}`;
    const steps = (exitOn: string) => [
      { name: 'Dispose', action: 'disposeReturn', inputEvents: ['Return Created'], successEvent: 'Disposed' },
      { kind: 'exit', name: 'Done', inputEvents: [exitOn] },
    ];
    const draft = (exitOn: string) => ({ name: 'Pages returns', type: 'return', steps: steps(exitOn) });
    await ok('PUT', `/api/v1/journeys/${journeyId}`, draft('Never Raised'));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journeys' }).click();
    await page.getByRole('link', { name: journeyId }).click();
    await page.getByRole('heading', { level: 1, name: 'Journey Pages returns' }).waitFor();
    expect(
      await Promise.all(
        (await page.locator('.journey-definition li.step').all()).map((step) =>
          step.getAttribute('data-step')
        )
      )
    ).toEqual(['Dispose', 'Done']);
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await page.locator('#alerts').getByText('/steps/1').waitFor();
    const refused = page.locator('.journey-definition li.invalid');
    expect(await refused.getAttribute('data-step')).toBe('Done');
    expect(await refused.textContent()).toContain('Never Raised');
    await screenshot('journey-refused');

    await ok('PUT', `/api/v1/journeys/${journeyId}`, draft('Disposed'));
    await page.reload();
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByRole('status').filter({ hasText: 'Published version 1' }).waitFor();

    // A new draft beside the version in force, published from the console too.
    await ok('PUT', `/api/v1/journeys/${journeyId}`, { ...draft('Disposed'), name: 'Pages returns v2' });
    await page.reload();
    await page.getByRole('button', { name: 'Publish version 2' }).click();
    await page.getByRole('status').filter({ hasText: 'Published version 2' }).waitFor();
    const versions = page.getByRole('table', { name: 'Versions, oldest first' });
    await versions
      .getByRole('row')
      .filter({ hasText: 'in force' })
      .filter({ hasText: '2 (shown)' })
      .waitFor();
    expect(await versions.getByRole('row').filter({ hasText: 'archived' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /Publish/ }).count()).toBe(0);
    await screenshot('journey');
    const stored = await ok('GET', `/api/v1/journeys/${journeyId}`);
    expect([stored.publishedVersion, stored.status]).toEqual([2, 'published']);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journeys' }).click();
    await page.getByRole('row').filter({ hasText: journeyId }).filter({ hasText: 'published' }).waitFor();
    await screenshot('journeys');
  });

  it('dashboard: reads the metrics again every 30 seconds while shown, and stops once left', async () => {
    await page.goto(`${host.url}/#/dashboard`);
    await page.clock.install();
    await page.reload();
    await page.locator('#dashboard [data-metric]').first().waitFor();
    let reads = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/metrics')) reads += 1;
    });
    await page.clock.runFor(30_500);
    await waitFor(() => Promise.resolve(reads === 1 || undefined), {
      what: 'the dashboard to read the metrics again',
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    await page.clock.runFor(61_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reads).toBe(1);
  });
});
