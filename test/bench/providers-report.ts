/** The providers stage's checks against their targets and its Markdown section (see providers-load.ts). */
import { failedRequests, pacedRow } from './intake-report';
import type { OrderCount, ProvidersFigures } from './providers-load';
import type { Check } from './report';

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Every expected externalId has exactly one order, and the channel has no other. */
export function exactlyOnce(c: OrderCount): boolean {
  return c.expected > 0 && c.created === c.expected && c.extraOrders === 0 && c.unexpected === 0;
}

export function providersChecks(d: ProvidersFigures): Check[] {
  const { webhook: w, poll: p, settings: s } = d;
  const healthName = `GET /api/health (real app), ${s.rate}/s, same host`;
  const failed = failedRequests(w.webhook);
  return [
    {
      measure: `Shopify webhook POST /api/providers/{id}/webhook at ${s.rate}/s for ${s.seconds} s (${s.lines} lines) — p50 time to 202`,
      host: w.webhook.p50Ms,
      baseline: w.health.p50Ms,
      baselineName: healthName,
      unit: 'ms',
      ratio: w.webhook.p50Ms / w.health.p50Ms,
    },
    {
      measure: `Shopify webhook at ${s.rate}/s — p99 time to 202`,
      host: w.webhook.p99Ms,
      baseline: w.health.p99Ms,
      baselineName: healthName,
      unit: 'ms',
      ratio: w.webhook.p99Ms / w.health.p99Ms,
      target: '≤ 2× health p99',
      pass: w.webhook.p99Ms <= 2 * w.health.p99Ms,
    },
    {
      measure: `Shopify webhook — accepted/s sustained (${failed} non-202 or failed)`,
      host: w.webhook.okPerSec,
      baseline: w.health.okPerSec,
      baselineName: healthName,
      unit: 'req/s',
      ratio: w.webhook.okPerSec / w.health.okPerSec,
      target: 'no errors',
      pass: failed === 0 && w.webhook.ok === w.webhook.sent,
    },
    {
      measure:
        `Shopify webhook — orders by externalId, one per accepted delivery (warm-up included; ` +
        `${w.count.extraOrders} extra, ${w.count.unexpected} unexpected${w.creation.timedOut ? ', wait timed out' : ''})`,
      host: w.count.created,
      baseline: w.count.expected,
      baselineName: 'deliveries accepted (202)',
      unit: 'orders',
      ratio: w.count.created / w.count.expected,
      target: 'every accepted order, once',
      pass: exactlyOnce(w.count),
    },
    {
      measure: `Shopify webhook — orders created per s (load start → last order's createdAt, ${fmt(w.creation.secondsToLastOrder)} s)`,
      host: w.creation.ordersPerSec,
      baseline: w.webhook.okPerSec,
      baselineName: 'deliveries accepted per s',
      unit: 'orders/s',
      ratio: w.creation.ordersPerSec / w.webhook.okPerSec,
    },
    {
      measure: `Shopify polling, ${p.orders} orders at ${p.pageSize} a page — orders/s pulled (${p.poller.pages} pages in ${fmt(p.poller.seconds, 2)} s)`,
      host: p.poller.ordersPerSec,
      baseline: p.plainClient.ordersPerSec,
      baselineName: `plain client walking the same pages (${fmt(p.plainClient.seconds, 2)} s)`,
      unit: 'orders/s',
      ratio: p.poller.ordersPerSec / p.plainClient.ordersPerSec,
    },
    {
      measure: `Shopify polling — orders/s created (instance saved → last order's createdAt, ${fmt(p.creation.secondsToLastOrder)} s)`,
      host: p.creation.ordersPerSec,
      baseline: p.poller.ordersPerSec,
      baselineName: 'orders/s pulled',
      unit: 'orders/s',
      ratio: p.creation.ordersPerSec / p.poller.ordersPerSec,
    },
    {
      measure: `Shopify polling — orders by externalId (${p.count.extraOrders} extra, ${p.count.unexpected} unexpected${p.creation.timedOut ? ', wait timed out' : ''})`,
      host: p.count.created,
      baseline: p.count.expected,
      baselineName: 'orders on the server',
      unit: 'orders',
      ratio: p.count.created / p.count.expected,
      target: 'every order, once',
      pass: exactlyOnce(p.count),
    },
  ];
}

function countRow(name: string, c: OrderCount, creation: ProvidersFigures['poll']['creation']): string {
  return (
    `| ${name} | ${c.expected} | ${c.created} | ${c.missing} | ${c.extraOrders} | ${c.unexpected} | ` +
    `${fmt(creation.secondsToLastOrder, 2)} | ${fmt(creation.ordersPerSec)} | ${fmt(creation.drainSeconds, 2)} | ` +
    `${creation.timedOut ? 'yes' : 'no'} | ${fmt(creation.cpu.host, 2)} | ${fmt(creation.cpu.azurite, 2)} | ${fmt(creation.cpu.cosmos, 2)} |`
  );
}

export function providersMarkdown(d: ProvidersFigures): string {
  const { settings: s, webhook: w, poll: p } = d;
  return [
    '## Provider intake (Shopify webhooks and polling, real app)',
    '',
    `One host of the real app as \`npm start\` starts it (own data dir, durability on). Webhooks: a Shopify ` +
      `instance with a webhook secret; each delivery a signed \`orders/create\` of the order fixture with ` +
      `${s.lines} lines (SKUs existing as products), a distinct order id and X-Shopify-Webhook-Id. Open loop at ` +
      `a constant ${s.rate} requests/s (node:http keep-alive agent, ≤ ${s.maxSockets} sockets): first GET ` +
      `/api/health for ${s.seconds} s, then a ${s.warmupSeconds} s webhook warm-up, then ${s.seconds} s of ` +
      'webhooks. Latency is request issued → answer read in full, of the 200/202 answers.',
    '',
    '| Target | Offered req/s | Sent | 200/202 | per s | p50 ms | p90 ms | p99 ms | mean ms | max ms | ' +
      'other status | errors | max in flight | schedule lag p99 / max ms | host core share | ' +
      'Azurite core share | generator core share |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|',
    pacedRow(w.health),
    pacedRow(w.webhook),
    '',
    `Polling: a local Shopify Admin server (test/support/provider-servers/shopify-admin-server.ts, Standard ` +
      `call limit: 40-call bucket, 2/s leak) holding ${p.orders} orders of ${s.lines} lines; an instance with ` +
      `pageSize ${p.pageSize}, polling true, pollIntervalSeconds ${s.pollIntervalSeconds} (the app's timer runs ` +
      'every 5 s). Baseline: a plain client in the bench process walking the same pages of a second server ' +
      'with the same orders (fetch, lossless parse and stringify of each order, as the poller does).',
    '',
    '| Reader | Pages | Seconds | Orders/s | 429s | Poll runs started |',
    '|---|---:|---:|---:|---:|---:|',
    `| plain client (baseline) | ${p.plainClient.pages} | ${fmt(p.plainClient.seconds, 2)} | ${fmt(p.plainClient.ordersPerSec)} | ${p.plainClient.throttled} | — |`,
    `| app poller (instance saved → last page answered) | ${p.poller.pages} | ${fmt(p.poller.seconds, 2)} | ${fmt(p.poller.ordersPerSec)} | ${p.poller.throttled} | ${p.poller.runs} |`,
    '',
    'Creation: the wait probes GET /api/v1/orders?externalId= in acceptance order (16 in flight, a pass ' +
      'stopped after 32 not-yet answers, 500 ms apart) until all are seen; then one listing of every order ' +
      "(500 a page) counts the channel's orders by externalId. Time to last order: load start (webhooks) or " +
      'instance saved (polling) → the latest createdAt. Core shares are over the wait.',
    '',
    '| Source | Expected | Created | Missing | Extra orders | Unexpected | s to last order | orders/s | ' +
      'wait: last seen s | timed out | host core | Azurite core | Cosmos core |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|',
    countRow(
      `webhooks (${w.warmupAccepted} warm-up + ${w.webhook.ok} measured + 1 probe)`,
      w.count,
      w.creation
    ),
    countRow('polling', p.count, p.creation),
    '',
    `Webhook answers flagged duplicate: ${w.duplicates}.`,
    '',
  ].join('\n');
}
