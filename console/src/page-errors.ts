import { api, segment, withQuery } from './api.js';
import { badge, formText, h, link, render, table, when, type Child } from './dom.js';
import { showError, showStatus } from './notices.js';
import { hashOf, type PageRoute } from './router.js';
import type { ErrorEntry, Page } from './types.js';

const lists = ['provider-inbound', 'provider-action', 'orchestration-step', 'policy'];
const statuses = ['open', 'resubmitted', 'dismissed'];

/**
 * `#/errors?list=&status=`: what failed for good, newest first, each entry with its message, detail
 * and the original payload; Resubmit puts the payload back on its queue once the cause is fixed.
 */
export const errorsPage: PageRoute = {
  path: '/errors',
  title: 'Errors',
  async render({ body, query, signal }) {
    const list = query.get('list') ?? 'provider-inbound';
    const status = query.get('status') ?? '';
    const select = (name: string, label: string, options: string[], value: string, any?: string) =>
      h(
        'div',
        null,
        h('label', { for: `filter-${name}` }, label),
        h(
          'select',
          { id: `filter-${name}`, name },
          any !== undefined ? h('option', { value: '', selected: value === '' }, any) : null,
          options.map((option) => h('option', { value: option, selected: option === value }, option))
        )
      );
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Choose an error list' },
      select('list', 'List', lists, list),
      select('status', 'Status', statuses, status, 'any'),
      h('button', { type: 'submit' }, 'Show')
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      location.hash = hashOf('/errors', { list: formText(form, 'list'), status: formText(form, 'status') });
    });
    const results = h('div', { id: 'error-results' });
    render(body, form, results);

    const rows: Child[][] = [];
    const more = h('button', { type: 'button', class: 'secondary' }, 'More entries');
    const load = async (token?: string) => {
      const page = await api.get<Page<ErrorEntry>>(
        withQuery('/api/v1/errors', { list, status, top: 25, continuationToken: token }),
        signal
      );
      rows.push(...page.items.map((entry) => entryRow(list, entry)));
      render(
        results,
        table(
          `Entries of ${list}, newest first`,
          ['Created', 'Source', 'What failed', 'Order', 'Status', 'Attempts', ''],
          rows
        ),
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

function entryRow(list: string, entry: ErrorEntry): Child[] {
  const statusCell = h('span', { 'data-status': entry.status }, badge(entry.status));
  const attempts = h('span', null, String(entry.attempts));
  const resubmit = h(
    'button',
    {
      type: 'button',
      'aria-label': `Resubmit ${entry.messageId ?? entry.id}`,
      disabled: !entry.payload || entry.status === 'dismissed',
    },
    'Resubmit'
  );
  resubmit.addEventListener('click', () => {
    resubmit.disabled = true;
    api
      .post<ErrorEntry>(withQuery(`/api/v1/errors/${segment(entry.id)}/resubmit`, { list }))
      .then((answer) => {
        render(statusCell, badge(answer.status));
        statusCell.dataset.status = answer.status;
        attempts.textContent = String(answer.attempts);
        showStatus(
          `Resubmitted ${entry.messageId ?? entry.id}: its message is back on ${entry.queue ? `the queue ${entry.queue}` : 'its queue'} (status ${answer.status}).`
        );
      })
      .catch((err: unknown) => {
        resubmit.disabled = false;
        showError(err);
      });
  });
  return [
    when(entry.updatedAt ?? entry.createdAt),
    [entry.source, entry.step ? h('div', { class: 'muted' }, `step: ${entry.step}`) : ''],
    [
      h('div', { class: 'error-message' }, entry.message),
      entry.detail || entry.payload
        ? h(
            'details',
            null,
            h('summary', null, 'Detail and message'),
            entry.detail ? h('p', null, entry.detail) : '',
            entry.payload ? h('pre', { 'aria-label': 'The failing message' }, pretty(entry.payload)) : ''
          )
        : '',
    ],
    entry.orderId ? link(`/orders/${encodeURIComponent(entry.orderId)}`, entry.orderId) : '',
    statusCell,
    attempts,
    resubmit,
  ];
}

/** The payload indented; a provider message's `body` (JSON sent as text) shown as the JSON it is. */
function pretty(payload: string): string {
  const parsed = parse(payload);
  if (parsed === undefined) return payload;
  if (typeof parsed === 'object' && parsed !== null && 'body' in parsed && typeof parsed.body === 'string') {
    const body = parse(parsed.body);
    if (body !== undefined) return JSON.stringify({ ...parsed, body }, null, 2);
  }
  return JSON.stringify(parsed, null, 2);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
