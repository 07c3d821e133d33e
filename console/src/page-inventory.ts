import { api, call, withQuery } from './api.js';
import { atpChart } from './atp-chart.js';
import { badge, formText, h, labelled, link, render, section, table, when } from './dom.js';
import { showError, showStatus } from './notices.js';
import { hashOf, type PageRoute } from './router.js';
import type { AtpAnswer, InventoryHold, InventoryRow, Page } from './types.js';

/**
 * `#/inventory?sku=&source=&days=`: a SKU's measures per source, its available-to-promise chart per
 * source, and its held order lines, with the re-check that releases the ones stock now covers.
 */
export const inventoryPage: PageRoute = {
  path: '/inventory',
  title: 'Inventory',
  async render({ body, query, signal }) {
    const sku = query.get('sku') ?? '';
    const source = query.get('source') ?? '';
    const days = query.get('days') ?? '7';
    const input = (
      name: string,
      label: string,
      value: string,
      extra: Record<string, string | boolean> = {}
    ) => labelled(label, h('input', { id: `inventory-${name}`, name, value, ...extra }));
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Query inventory' },
      input('sku', 'SKU', sku, { required: true }),
      input('source', 'Source (optional)', source),
      input('days', 'Days', days, { type: 'number', min: '1', max: '366' }),
      h('button', { type: 'submit' }, 'Query')
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      location.hash = hashOf('/inventory', {
        sku: formText(form, 'sku'),
        source: formText(form, 'source'),
        days: formText(form, 'days'),
      });
    });
    const results = h('div', { id: 'inventory-results' });
    render(body, form, results);
    if (!sku) {
      render(results, h('p', { class: 'help' }, 'Give a SKU (and a source to see one only).'));
      return;
    }
    const sourceIds = source ? [source] : undefined;
    const [measures, atp] = await Promise.all([
      call<Page<InventoryRow>>('POST', '/api/v1/inventory/query', {
        body: { skus: [sku], sourceIds },
        signal,
      }),
      call<AtpAnswer>('POST', '/api/v1/inventory/atp', {
        body: { skus: [sku], sourceIds, days: Number(days) },
        signal,
      }),
    ]);
    const holds = h('div', { id: 'holds' });
    render(
      results,
      section('measures', 'Measures', measuresTable(sku, measures.items)),
      section(
        'atp',
        'Available to promise',
        h(
          'p',
          { class: 'help' },
          `From ${atp.startDate}, ${atp.days} days: day 0 starts from what is available to reserve; ATP is the least projected from that day to the end.`
        ),
        atp.items.length > 0
          ? atp.items.map((item) => atpChart(item.sku, item.sourceId, item.days))
          : h('p', null, `No inventory or schedule entries for ${sku}.`)
      ),
      section('holds-section', 'Held order lines', holds)
    );
    await drawHolds(holds, sku, signal);
  },
};

function measuresTable(sku: string, rows: readonly InventoryRow[]): HTMLElement {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.measures)))].sort();
  return table(
    `Measures of ${sku} by source`,
    ['Source', ...names],
    rows.map((row) => [row.sourceId ?? 'all', ...names.map((name) => String(row.measures[name] ?? 0))])
  );
}

async function drawHolds(target: HTMLElement, sku: string, signal: AbortSignal): Promise<void> {
  const page = await api.get<Page<InventoryHold>>(
    withQuery('/api/v1/inventory/holds', { sku, state: 'held', top: 100 }),
    signal
  );
  const recheck = h('button', { type: 'button', class: 'secondary' }, 'Re-check held lines now');
  recheck.addEventListener('click', () => {
    recheck.disabled = true;
    api
      .post<{ released: unknown[]; backordered: unknown[]; cancelled: unknown[]; kept: number }>(
        '/api/v1/inventory/holds/recheck'
      )
      .then(async (summary) => {
        showStatus(
          `Re-checked held lines: ${summary.released.length} released, ${summary.backordered.length} backordered, ${summary.cancelled.length} cancelled, ${summary.kept} kept.`
        );
        await drawHolds(target, sku, signal);
      })
      .catch((err: unknown) => {
        recheck.disabled = false;
        showError(err);
      });
  });
  render(
    target,
    h(
      'p',
      { class: 'help' },
      'Lines wait here, oldest first, until stock covers them (or their launch date comes). The re-check releases every line that fits now, first come first served; it runs daily by itself.'
    ),
    table(
      `Held lines of ${sku}, oldest first${page.continuationToken ? ' (first 100)' : ''}`,
      ['Order', 'Line', 'Quantity', 'Hold', 'State', 'Held since', 'Expected'],
      page.items.map((hold) => [
        link(`/orders/${encodeURIComponent(hold.orderId)}`, hold.orderId),
        hold.lineId,
        String(hold.quantity),
        hold.kind === 'preorder' && hold.launchDate ? `preorder until ${hold.launchDate}` : hold.kind,
        badge(hold.state),
        when(hold.heldAt),
        hold.estimatedAvailableDate ?? '',
      ])
    ),
    h('div', { class: 'actions' }, recheck)
  );
}
