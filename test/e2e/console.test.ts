import { createHmac, randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from '../support/api-client';
import { launchConsoleBrowser, saveScreenshot, watchedPage } from '../support/console-browser';
import { ownServicesEnv, startHostProcess, type HostProcess } from '../support/host-process';
import { waitFor } from '../support/wait-for';

// The operations console (docs/console.md) in a real Chromium against one local host with services of
// its own and the default journeys: an order followed from intake to shipped, a failed one fixed and
// reprocessed, an error-list entry resubmitted. A full-page screenshot of each page is kept in
// test/artifacts/console/.
const key = 'console-key';
const run = Date.now().toString(36);
let host: HostProcess;
let browser: Browser;
let page: Page;
const { ok, call } = apiClient(() => host.url, key);

interface OrderAnswer {
  orderId: string;
  journey: { status: string; step: string | null } | null;
  fulfillmentOrders: { id: string }[];
}

async function postOrder(externalId: string, customer: Record<string, string>): Promise<string> {
  const accepted = await ok('POST', '/api/v1/orders', {
    externalId,
    channel: 'console-test',
    currency: 'USD',
    customer,
    shipTo: { line1: '1 Main St', city: 'New York', postalCode: '10001', country: 'US' },
    lines: [{ sku: 'SKU-A', quantity: 2, unitPrice: 1250 }],
  });
  return accepted.orderId as string;
}

async function journeyOf(orderId: string, status: string, step?: string): Promise<OrderAnswer> {
  return waitFor(
    async () => {
      const answer = await call('GET', `/api/v1/orders/${orderId}`);
      const order = answer.body as unknown as OrderAnswer;
      return answer.status === 200 &&
        order.journey?.status === status &&
        (step === undefined || order.journey.step === step)
        ? order
        : undefined;
    },
    { what: `order ${orderId}'s journey to be ${status}`, timeoutMs: 60_000 }
  );
}

async function screenshot(name: string): Promise<void> {
  await saveScreenshot(page, name);
}

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'openiom-console-'));
  [host, browser] = await Promise.all([
    startHostProcess(
      { ...ownServicesEnv(dataDir), OPENIOM_FUNCTIONS_KEY: key, OPENIOM_SEED_JOURNEYS: 'true' },
      90_000
    ),
    launchConsoleBrowser(),
  ]);
  await ok('PUT', '/api/v1/products/SKU-A', { name: 'SKU-A' });
  await ok('PUT', '/api/v1/sources/WH-EAST', {
    name: 'New York',
    type: 'warehouse',
    address: { postalCode: '10001', city: 'New York', country: 'US' },
    online: true,
  });
  await ok('POST', '/api/v1/inventory/onhand/set', [
    { sku: 'SKU-A', sourceId: 'WH-EAST', measure: 'onhand', quantity: 1000 },
  ]);
  // Any script error or CSP refusal in the console fails the test that caused it.
  ({ page, errors: pageErrors } = await watchedPage(browser));
}, 120_000);

let pageErrors: () => string[];

afterEach(() => {
  expect(pageErrors()).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('serving', () => {
  it('serves the console at / with its content types, ETag and CSP; /api is unchanged', async () => {
    const index = await fetch(`${host.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await index.text()).toContain('<script type="module" src="main.js"></script>');
    const script = await fetch(`${host.url}/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const etag = script.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await fetch(`${host.url}/main.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await fetch(`${host.url}/console.css`)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8'
    );

    const missing = await fetch(`${host.url}/nope.js`);
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
    expect((await fetch(`${host.url}/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${host.url}/api/v1/orders`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/openapi.json`)).status).toBe(200);
    expect((await fetch(`${host.url}/api/nowhere`)).status).toBe(404);
  });
});

describe('the console in a browser', () => {
  it('refuses a wrong key with a clear message, and signs in with the right one', async () => {
    await page.goto(`${host.url}/`);
    await page.getByLabel('Function key').fill('wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The function key was refused' });
    await refused.waitFor();
    await screenshot('sign-in');

    await page.getByLabel('Function key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(await page.locator('#page-title:focus').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Dashboard',
      'Orders',
      'Errors',
      'Journeys',
      'Inventory',
      'Providers',
      'Alerts',
    ]);
  });

  it('finds an order by external id and follows it to fulfillment orders and its shipment', async () => {
    const externalId = `console-${run}-1`;
    const orderId = await postOrder(externalId, { email: 'ada@example.com', name: 'Ada' });
    await page.goto(`${host.url}/#/orders`);
    await page.locator('#page-title:focus').waitFor();
    // By keyboard alone: from the heading the focus moves to the first filter; Enter searches.
    await page.keyboard.press('Tab');
    expect(await page.locator('#filter-externalId:focus').count()).toBe(1);
    await page.keyboard.type(externalId);
    await page.keyboard.press('Enter');
    const row = page.getByRole('row').filter({ hasText: externalId });
    await row.waitFor();
    expect(await page.getByRole('row').count()).toBe(2);
    await screenshot('orders');

    await row.getByRole('link', { name: orderId }).click();
    await page.getByRole('heading', { level: 1, name: `Order ${externalId}` }).waitFor();
    // The page reads the order again while its journey runs: the fulfillment order shows up by itself.
    await page.getByRole('article', { name: /Fulfillment order/ }).waitFor({ timeout: 60_000 });
    const current = page.locator('.journey li[aria-current="step"]');
    await current.filter({ hasText: 'Wait for shipment' }).waitFor({ timeout: 30_000 });
    expect(await current.textContent()).toContain('current step, waiting');
    expect(await page.locator('.journey li.done').count()).toBeGreaterThan(3);
    await screenshot('order-fulfillment');

    const { fulfillmentOrders } = await journeyOf(orderId, 'waiting', 'Wait for shipment');
    await ok('POST', `/api/v1/fulfillment-orders/${fulfillmentOrders[0]!.id}/events`, {
      id: `ship-${run}`,
      type: 'shipped',
      tracking: { carrier: 'UPS', number: `1Z${run}` },
    });
    await page.getByRole('cell', { name: `1Z${run}` }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('.timeline').getByText('Order Fulfilled').first().waitFor({ timeout: 30_000 });
    await screenshot('order-shipped');
  });

  it('shows a failed step; once the cause is fixed, Reprocess moves the order on; Cancel asks first', async () => {
    const externalId = `console-${run}-2`;
    const orderId = await postOrder(externalId, {});
    await journeyOf(orderId, 'failed', 'Validate order header');
    await page.goto(`${host.url}/#/orders/${orderId}`);
    const failedStep = page.locator('.journey li.current.failed');
    await failedStep.filter({ hasText: 'Validate order header' }).waitFor();
    expect(await failedStep.textContent()).toContain('current step, failed');
    await page
      .getByText(/needs an email, a name or an account id/)
      .first()
      .waitFor();
    await screenshot('order-failed');

    await ok('PATCH', `/api/v1/orders/${orderId}`, { customer: { email: 'fixed@example.com' } });
    await page.getByRole('button', { name: 'Reprocess' }).click();
    await page.getByRole('status').filter({ hasText: 'Reprocess: done' }).waitFor();
    await page.getByRole('article', { name: /Fulfillment order/ }).waitFor({ timeout: 60_000 });

    // Reprocess again: nothing failed now, and the problem the API answers is shown.
    await page.getByRole('button', { name: 'Reprocess' }).click();
    const alert = page.locator('#alerts');
    await alert.filter({ hasText: 'Conflict (409)' }).waitFor();

    await page.getByRole('button', { name: 'Cancel order…' }).click();
    await page.getByText('Cancel this order?').waitFor();
    await screenshot('order-cancel-confirm');
    await page.getByRole('button', { name: 'Yes, cancel the order' }).click();
    await page.getByRole('status').filter({ hasText: 'Cancel: done' }).waitFor();
    await page.locator('.fields').getByText('cancelled', { exact: true }).first().waitFor();
    expect((await ok('GET', `/api/v1/orders/${orderId}`)).state).toBe('cancelled');
  });

  it('shows a problem with its paths in the alert region', async () => {
    await page.goto(`${host.url}/#/orders?createdFrom=last-week`);
    const alert = page.locator('#alerts');
    await alert.getByText('/createdFrom').waitFor();
    expect(await alert.textContent()).toContain('Validation failed (400)');
  });

  it('lists a message that failed on an error list and resubmits it once its cause is fixed', async () => {
    const instanceId = `console-json-${run}`;
    const secret = `secret-${run}`;
    const unknownSku = `THEIR-SKU-${run}`;
    await ok('PUT', `/api/v1/mapping-groups/${instanceId}`, { name: 'SKUs', mappings: [] });
    await ok('PUT', `/api/v1/transformations/${instanceId}`, {
      messageType: 'order',
      provider: 'generic-json',
      expression: `$merge([$, { 'externalId': $string(externalId), 'lines': [lines.$merge([$, { 'sku': $mapValue('sku', sku) }])] }])`,
    });
    await ok('PUT', `/api/v1/provider-instances/${instanceId}`, {
      provider: 'generic-json',
      active: true,
      secrets: { webhookSecret: secret },
      transformations: { order: instanceId },
      mappingGroupId: instanceId,
    });
    const raw = JSON.stringify({
      externalId: `console-${run}-3`,
      currency: 'USD',
      customer: { email: 'grace@example.com' },
      shipTo: { postalCode: '10001', country: 'US' },
      lines: [{ sku: unknownSku, quantity: 1 }],
    });
    const deliveryId = randomUUID();
    const sent = await fetch(`${host.url}/api/providers/${instanceId}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Openiom-Signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
        'X-Openiom-Delivery-Id': deliveryId,
      },
      body: raw,
    });
    expect(sent.status).toBe(202);
    const listed = await waitFor(
      async () =>
        ((await ok('GET', '/api/v1/errors?list=provider-inbound')).items as { messageId?: string }[]).find(
          (entry) => entry.messageId === deliveryId
        ),
      { what: 'the failed message on the error list', timeoutMs: 30_000 }
    );
    expect(listed).toBeDefined();

    await page.goto(`${host.url}/#/errors`);
    await page.getByLabel('List', { exact: true }).selectOption('provider-inbound');
    await page.getByLabel('Status', { exact: true }).selectOption('open');
    await page.getByRole('button', { name: 'Show' }).click();
    const row = page.getByRole('row').filter({ hasText: unknownSku });
    await row.waitFor();
    await row.getByText('Detail and message').click();
    await row.locator('pre').filter({ hasText: unknownSku }).waitFor();
    await screenshot('errors');

    await ok('PUT', `/api/v1/mapping-groups/${instanceId}`, {
      name: 'SKUs',
      mappings: [{ type: 'sku', external: unknownSku, internal: 'SKU-A' }],
    });
    // The host reads mapping groups at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await row.getByRole('button', { name: `Resubmit ${deliveryId}` }).click();
    await row.locator('[data-status="resubmitted"]').waitFor();
    await page.getByRole('status').filter({ hasText: 'Resubmitted' }).waitFor();
    await screenshot('errors-resubmitted');
    await waitFor(
      async () => {
        const found = await ok('GET', `/api/v1/orders?externalId=console-${run}-3`);
        return (found.items as unknown[]).length === 1 || undefined;
      },
      { what: 'the resubmitted message to become an order', timeoutMs: 30_000 }
    );
  });

  it('draws every page of the navigation', async () => {
    for (const name of ['Dashboard', 'Journeys', 'Inventory', 'Providers', 'Alerts']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await screenshot(`navigation-${name.toLowerCase()}`);
    }
  });
});
