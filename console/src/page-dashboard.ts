import { api } from './api.js';
import { badge, every, h, link, render, section, table, when, type Child } from './dom.js';
import { showError } from './notices.js';
import { hashOf, type PageRoute } from './router.js';
import type { Metrics } from './types.js';

const refreshMs = 30_000;

/**
 * `#/dashboard`: the counters of `GET /api/v1/metrics` (intake, orders by state, journeys by status,
 * error lists), each leading to the orders or errors it counts; read again every 30 seconds while shown.
 */
export const dashboardPage: PageRoute = {
  path: '/dashboard',
  title: 'Dashboard',
  async render({ body, signal }) {
    const content = h('div', { id: 'dashboard' });
    const refresh = async () => draw(content, await api.get<Metrics>('/api/v1/metrics', signal));
    const refreshButton = h('button', { type: 'button', class: 'secondary' }, 'Refresh');
    refreshButton.addEventListener('click', () => void refresh().catch(showError));
    render(body, h('div', { class: 'actions' }, refreshButton), content);
    await refresh();
    every(refreshMs, signal, refresh, showError);
  },
};

function draw(content: HTMLElement, metrics: Metrics): void {
  const { byList, ...errorTotals } = metrics.errorLists;
  render(
    content,
    h('p', { class: 'muted' }, 'Read at ', when(metrics.at), '; read again every 30 seconds.'),
    section(
      'intake',
      'Intake',
      counters([
        ['Received', metrics.intake.received, 'intake.received'],
        ['Duplicates', metrics.intake.duplicates, 'intake.duplicates'],
        ['Rejected', metrics.intake.rejected, 'intake.rejected'],
      ])
    ),
    section(
      'orders-by-state',
      'Orders by state',
      counters([['All orders', metrics.orders.total, 'orders.total', hashOf('/orders')]]),
      table(
        'Orders by state',
        ['State', 'Orders'],
        entries(metrics.orders.byState).map(([state, count]) => [
          // `other` counts states the framework no longer has: no filter finds them by that name.
          state === 'other' ? 'other' : link(`/orders?state=${encodeURIComponent(state)}`, state),
          metric(count, `orders.byState.${state}`),
        ])
      )
    ),
    section(
      'journeys-by-status',
      'Journeys by status',
      table(
        'Journey instances by status',
        ['Status', 'Instances'],
        entries(metrics.journeys).map(([status, count]) => [
          badge(status),
          metric(count, `journeys.${status}`),
        ])
      )
    ),
    section(
      'error-lists',
      'Error lists',
      counters(
        entries(errorTotals).map(([status, count]) => [
          `${status[0]!.toUpperCase()}${status.slice(1)}`,
          count,
          `errorLists.${status}`,
        ])
      ),
      table(
        'Error-list entries by list and status',
        ['List', ...Object.keys(errorTotals)],
        entries(byList).map(([list, counts]) => [
          link(`/errors?list=${encodeURIComponent(list)}`, list),
          ...entries(counts).map(([status, count]) =>
            h(
              'a',
              { href: hashOf('/errors', { list, status }) },
              metric(count, `errorLists.byList.${list}.${status}`)
            )
          ),
        ])
      )
    )
  );
}

const entries = <T>(record: Record<string, T>): [string, T][] => Object.entries(record);

/** A count with the metric's path, so what is shown can be matched with the API's answer. */
function metric(count: number, path: string): HTMLElement {
  return h('span', { class: 'count', 'data-metric': path }, String(count));
}

/** Large figures with their labels; a figure with a path is a link to what it counts. */
function counters(items: readonly (readonly [string, number, string, string?])[]): HTMLElement {
  return h(
    'ul',
    { class: 'counters' },
    items.map(([label, count, path, href]): Child => {
      const inner = [metric(count, path), h('span', { class: 'label' }, label)];
      return h('li', null, href ? h('a', { href }, inner) : inner);
    })
  );
}
