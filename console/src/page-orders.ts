import { api, withQuery } from './api.js';
import { badge, formText, h, link, render, table, when, type Child } from './dom.js';
import { showError } from './notices.js';
import { hashOf, type PageRoute } from './router.js';
import type { Order, Page } from './types.js';

/** The order states of the out-of-box state framework, offered as suggestions (custom ones can be typed). */
const knownStates = ['new', 'in progress', 'on hold', 'fulfillment in process', 'completed', 'cancelled'];
const filters = ['externalId', 'state', 'channel', 'createdFrom', 'createdTo'] as const;

/** `#/orders?externalId=&state=&channel=&createdFrom=&createdTo=`: the search and its pages of orders. */
export const ordersPage: PageRoute = {
  path: '/orders',
  title: 'Orders',
  async render({ body, query, signal }) {
    const value = (name: string) => query.get(name) ?? '';
    const input = (name: (typeof filters)[number], label: string, extra: Record<string, string> = {}) =>
      h(
        'div',
        null,
        h('label', { for: `filter-${name}` }, label),
        h('input', { id: `filter-${name}`, name, value: value(name), ...extra })
      );
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Search orders' },
      input('externalId', 'External id', { type: 'search' }),
      input('state', 'State', { list: 'order-states' }),
      h(
        'datalist',
        { id: 'order-states' },
        knownStates.map((state) => h('option', { value: state }))
      ),
      input('channel', 'Channel'),
      input('createdFrom', 'Created from', { type: 'date' }),
      input('createdTo', 'Created to', { type: 'date' }),
      h('button', { type: 'submit' }, 'Search'),
      h('a', { href: '#/orders' }, 'Clear')
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const next = Object.fromEntries(filters.map((name) => [name, formText(form, name)]));
      location.hash = hashOf('/orders', next);
    });
    const results = h('div', { id: 'order-results' });
    render(body, form, results);

    const rows: Child[][] = [];
    const more = h('button', { type: 'button', class: 'secondary', id: 'more-orders' }, 'More orders');
    const load = async (token?: string) => {
      const path = withQuery('/api/v1/orders', {
        ...Object.fromEntries(filters.map((name) => [name, value(name)])),
        top: 25,
        continuationToken: token,
      });
      const page = await api.get<Page<Order>>(path, signal);
      rows.push(...page.items.map(orderRow));
      render(
        results,
        table(`Orders, newest first (${rows.length}${page.continuationToken ? '+' : ''})`, columns, rows),
        page.continuationToken ? more : null
      );
      more.onclick = () => {
        more.disabled = true;
        load(page.continuationToken).catch(showError);
      };
      more.disabled = false;
    };
    await load();
  },
};

const columns = ['Order', 'External id', 'Channel', 'State', 'Lines', 'Created'];

function orderRow(order: Order): Child[] {
  return [
    link(`/orders/${encodeURIComponent(order.orderId)}`, order.orderId),
    order.externalId,
    order.channel,
    badge(order.state),
    String(order.lines.length),
    when(order.createdAt),
  ];
}
