import { api, segment, withQuery } from './api.js';
import { badge, formText, h, labelled, link, render, section, table, when, type Child } from './dom.js';
import { showError, showStatus } from './notices.js';
import { hashOf, type PageRoute } from './router.js';
import type { Alert, AlertRule, Page } from './types.js';

const states = ['open', 'acknowledged'];

/** `#/alerts?state=`: raised alerts, newest first, with Acknowledge; and the rules that raise them. */
export const alertsPage: PageRoute = {
  path: '/alerts',
  title: 'Alerts',
  async render({ body, query, signal }) {
    const state = query.get('state') ?? 'open';
    const select = h(
      'select',
      { id: 'alerts-state', name: 'state' },
      h('option', { value: 'any', selected: state === 'any' }, 'any'),
      states.map((value) => h('option', { value, selected: value === state }, value))
    );
    const form = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
      labelled('State', select),
      h('button', { type: 'submit' }, 'Show')
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      location.hash = hashOf('/alerts', { state: formText(form, 'state') });
    });
    const results = h('div', { id: 'alert-results' });
    render(body, form, results);
    const wanted = state === 'any' ? '' : state;
    const [alerts, rules] = await Promise.all([
      api.get<Page<Alert>>(withQuery('/api/v1/alerts', { state: wanted, top: 50 }), signal),
      api.get<Page<AlertRule>>('/api/v1/alert-rules', signal),
    ]);
    render(
      results,
      section(
        'raised-alerts',
        'Raised alerts',
        table(
          `Alerts${wanted ? ` ${wanted}` : ''}, newest first${alerts.continuationToken ? ' (first 50)' : ''}`,
          ['Raised', 'Severity', 'Rule', 'About', 'What', 'State', ''],
          alerts.items.map(alertRow)
        )
      ),
      section(
        'alert-rules',
        'Rules',
        table(
          'Alert rules',
          ['Rule', 'Watches', 'Overdue after', 'Severity', 'Enabled', 'Recipients'],
          rules.items.map((rule) => [
            [h('strong', null, rule.name), h('div', { class: 'muted' }, rule.id)],
            rule.kind,
            threshold(rule),
            badge(rule.severity),
            rule.enabled ? 'yes' : 'no',
            rule.recipients.join(', '),
          ])
        )
      )
    );
  },
};

function alertRow(alert: Alert): Child[] {
  const stateCell = h('span', { 'data-state': alert.state }, badge(alert.state));
  const acknowledge = h(
    'button',
    { type: 'button', 'aria-label': `Acknowledge ${alert.message}`, disabled: alert.state !== 'open' },
    'Acknowledge'
  );
  acknowledge.addEventListener('click', () => {
    acknowledge.disabled = true;
    api
      .post<Alert>(`/api/v1/alerts/${segment(alert.id)}/acknowledge`, {})
      .then((answer) => {
        render(stateCell, badge(answer.state));
        stateCell.dataset.state = answer.state;
        showStatus(`Acknowledged: ${alert.message}`);
      })
      .catch((err: unknown) => {
        acknowledge.disabled = false;
        showError(err);
      });
  });
  return [
    when(alert.raisedAt),
    badge(alert.severity),
    alert.ruleName,
    [
      `${alert.entityType} `,
      alert.orderId ? link(`/orders/${encodeURIComponent(alert.orderId)}`, alert.entityId) : alert.entityId,
    ],
    alert.message,
    stateCell,
    acknowledge,
  ];
}

function threshold(rule: AlertRule): string {
  if (rule.after) {
    const [unit, amount] = Object.entries(rule.after)[0] ?? ['', ''];
    return `${amount} ${unit}`;
  }
  return `${rule.minEntries} entries within ${rule.withinMinutes} minutes${rule.list ? ` on ${rule.list}` : ''}`;
}
