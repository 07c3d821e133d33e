import { api, segment } from './api.js';
import { badge, fields, h, link, render, table, when, type Child } from './dom.js';
import { journeySteps } from './journey-steps.js';
import { money } from './money.js';
import { showError, showStatus } from './notices.js';
import type { PageRoute } from './router.js';
import type {
  FulfillmentOrder,
  InvoiceDocument,
  JourneyDefinition,
  Order,
  OrderReturn,
  Page,
  TimelineEntry,
} from './types.js';

/** How often the page reads the order again: often while a step runs, less while the journey waits. */
const refreshMs = { running: 2000, waiting: 5000 } as const;
const journeys = new Map<string, Promise<JourneyDefinition>>();

interface OrderData {
  order: Order;
  timeline: TimelineEntry[];
  fulfillmentOrders: FulfillmentOrder[];
  returns: OrderReturn[];
  invoices: InvoiceDocument[];
  journey?: JourneyDefinition;
}

/**
 * `#/orders/{orderId}`: the order, its journey drawn with the current step, its fulfillment orders
 * with shipments, returns, invoices and timeline, and the operations (reprocess, pause, resume,
 * cancel). While the journey runs or waits the page reads it again (every two
 * seconds while a step runs, five while it waits), so a reader watches it move.
 */
export const orderPage: PageRoute = {
  path: '/orders/:orderId',
  title: 'Order',
  async render({ body, params, signal, setTitle }) {
    const orderId = params.orderId ?? '';
    const content = h('div', { id: 'order-content' });
    const refreshState = h('span', { class: 'refresh-state', id: 'refresh-state' });
    const auto = h('input', { type: 'checkbox', id: 'auto-refresh', checked: true });
    const confirmArea = h('div', { id: 'confirm-area' });
    const button = (label: string, onclick: () => void, extra: Record<string, string> = {}) =>
      h('button', { type: 'button', onclick, ...extra }, label);
    const actions = {
      refresh: button('Refresh', () => void refresh(), { class: 'secondary' }),
      reprocess: button('Reprocess', () => void operate('reprocess', 'Reprocess')),
      pause: button('Pause', () => void operate('pause', 'Pause')),
      resume: button('Resume', () => void operate('resume', 'Resume')),
      cancel: button('Cancel order…', () => askToCancel(), { class: 'danger' }),
    };
    render(
      body,
      h(
        'section',
        { 'aria-labelledby': 'actions-heading' },
        h('h2', { id: 'actions-heading', class: 'visually-hidden' }, 'Actions'),
        h(
          'div',
          { class: 'actions' },
          Object.values(actions),
          h(
            'span',
            null,
            auto,
            ' ',
            h('label', { for: 'auto-refresh', class: 'inline' }, 'Refresh while the journey runs')
          ),
          refreshState
        ),
        confirmArea
      ),
      content
    );

    let shown = '';
    let timer: number | undefined;
    signal.addEventListener('abort', () => window.clearTimeout(timer));
    auto.addEventListener('change', () => schedule());

    async function refresh(): Promise<void> {
      window.clearTimeout(timer);
      try {
        const data = await load(orderId, signal);
        setTitle(`Order ${data.order.externalId}`);
        const text = JSON.stringify(data);
        // Drawn again only when something changed, so focus and scroll stay where the reader is.
        if (text !== shown) {
          shown = text;
          render(content, ...orderSections(data));
        }
        enable(data.order);
        refreshState.textContent = `Read at ${new Date().toLocaleTimeString()}`;
        schedule(data.order);
      } catch (err) {
        if (signal.aborted) return;
        showError(err);
      }
    }

    let last: Order | undefined;
    function schedule(order: Order | undefined = last): void {
      last = order;
      window.clearTimeout(timer);
      const status = order?.journey?.status;
      if (!auto.checked || signal.aborted || (status !== 'running' && status !== 'waiting')) return;
      // A tab in the background asks nothing; it catches up when it is shown again.
      timer = window.setTimeout(() => (document.hidden ? schedule() : void refresh()), refreshMs[status]);
    }

    function enable(order: Order): void {
      const status = order.journey?.status;
      actions.pause.disabled = status !== 'running' && status !== 'waiting';
      actions.resume.disabled = status !== 'paused';
      actions.cancel.disabled = order.state === 'cancelled' || order.state === 'completed';
    }

    async function operate(
      operation: 'reprocess' | 'pause' | 'resume' | 'cancel',
      label: string
    ): Promise<void> {
      try {
        const answer = await api.post<{ journey?: { status: string }; state?: string }>(
          `/api/v1/orders/${segment(orderId)}/${operation}`
        );
        const now = answer.journey?.status ?? answer.state;
        showStatus(`${label}: done${now ? `; the ${answer.journey ? 'journey' : 'order'} is ${now}` : ''}.`);
      } catch (err) {
        showError(err);
      }
      await refresh();
    }

    function askToCancel(): void {
      const yes = h('button', { type: 'button', class: 'danger' }, 'Yes, cancel the order');
      const no = h('button', { type: 'button', class: 'secondary' }, 'Keep the order');
      render(
        confirmArea,
        h(
          'div',
          { class: 'confirm', role: 'group', 'aria-labelledby': 'confirm-text' },
          h(
            'p',
            { id: 'confirm-text' },
            'Cancel this order? Its open fulfillment order lines are cancelled, its reservations released and its journey ended.'
          ),
          yes,
          ' ',
          no
        )
      );
      yes.addEventListener('click', () => {
        render(confirmArea);
        actions.cancel.focus();
        void operate('cancel', 'Cancel');
      });
      no.addEventListener('click', () => {
        render(confirmArea);
        actions.cancel.focus();
      });
      no.focus();
    }

    await refresh();
  },
};

async function load(orderId: string, signal: AbortSignal): Promise<OrderData> {
  const id = segment(orderId);
  const order = await api.get<Order>(`/api/v1/orders/${id}`, signal);
  const [timeline, fulfillmentOrders, returns, invoices, journey] = await Promise.all([
    api.get<Page<TimelineEntry>>(`/api/v1/orders/${id}/timeline`, signal),
    api.get<Page<FulfillmentOrder>>(`/api/v1/fulfillment-orders?orderId=${id}&top=100`, signal),
    api.get<Page<OrderReturn>>(`/api/v1/returns?orderId=${id}`, signal),
    api.get<Page<InvoiceDocument>>(`/api/v1/orders/${id}/invoices`, signal),
    order.journey ? journeyDefinition(order.journey.id, order.journey.version) : undefined,
  ]);
  return {
    order,
    timeline: timeline.items,
    fulfillmentOrders: fulfillmentOrders.items,
    returns: returns.items,
    invoices: invoices.items,
    ...(journey ? { journey } : {}),
  };
}

/** A journey version never changes once published: read once per page load of the console. */
function journeyDefinition(id: string, version: number): Promise<JourneyDefinition> {
  const key = `${id}@${version}`;
  let found = journeys.get(key);
  if (!found) {
    found = api.get<JourneyDefinition>(`/api/v1/journeys/${segment(id)}?version=${version}`);
    found.catch(() => journeys.delete(key));
    journeys.set(key, found);
  }
  return found;
}

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), children);
}

function orderSections(data: OrderData): HTMLElement[] {
  const { order } = data;
  const customer = [order.customer.name, order.customer.email, order.customer.accountId]
    .filter(Boolean)
    .join(', ');
  const shipTo = [
    order.shipTo.line1,
    order.shipTo.city,
    order.shipTo.state,
    order.shipTo.postalCode,
    order.shipTo.country,
  ]
    .filter(Boolean)
    .join(', ');
  return [
    section(
      'summary-heading',
      'Summary',
      fields([
        ['Order id', order.orderId],
        ['External id', order.externalId],
        ['Channel', order.channel],
        ['State', [badge(order.state), order.stateReason ? ` ${order.stateReason}` : '']],
        ['Customer', customer],
        ['Ship to', shipTo],
        ['Created', when(order.createdAt)],
        ['Updated', when(order.updatedAt)],
      ])
    ),
    journeySection(data),
    section(
      'lines-heading',
      'Lines',
      table(
        'Order lines',
        ['Line', 'SKU', 'Quantity', 'Unit price', 'State', 'Reason'],
        order.lines.map((line) => [
          line.lineId,
          line.sku,
          String(line.quantity),
          money(line.unitPrice, order.currency),
          badge(line.state),
          line.stateReason ?? '',
        ])
      )
    ),
    fulfillmentSection(data.fulfillmentOrders, order.orderId),
    section(
      'returns-heading',
      'Returns',
      table(
        'Returns of this order',
        ['Return', 'State', 'Lines', 'Location', 'Created'],
        data.returns.map((r) => [
          r.id,
          badge(r.state),
          r.lines.map((line) => `${line.lineId}: ${line.quantity} × ${line.sku} (${line.reason})`).join('; '),
          r.returnLocation?.name ?? r.returnLocation?.sourceId ?? '',
          when(r.createdAt),
        ])
      )
    ),
    section(
      'invoices-heading',
      'Invoices',
      table(
        'Invoices and credit notes',
        ['Document', 'Type', 'For', 'Subtotal', 'Tax', 'Total', 'Created'],
        data.invoices.map((doc) => [
          doc.id,
          doc.type === 'creditNote' ? 'credit note' : 'invoice',
          doc.fulfillmentOrderId ?? doc.returnId ?? '',
          money(doc.subtotal, doc.currency),
          money(doc.taxTotal, doc.currency),
          money(doc.total, doc.currency),
          when(doc.createdAt),
        ])
      )
    ),
    section(
      'timeline-heading',
      'Timeline',
      data.timeline.length === 0
        ? h('p', { class: 'muted' }, 'Nothing yet.')
        : h(
            'ol',
            { class: 'timeline' },
            data.timeline.map((entry) =>
              h(
                'li',
                { class: `timeline-${entry.kind}` },
                h('span', { class: 'what' }, entry.name),
                entry.kind === 'error' ? [' ', badge('error')] : '',
                h(
                  'div',
                  { class: 'meta' },
                  when(entry.at),
                  ` · ${entry.entityType} ${entry.entityId}`,
                  entry.fromState || entry.toState
                    ? ` · ${entry.fromState ?? '…'} → ${entry.toState ?? '…'}`
                    : '',
                  entry.reason ? ` · ${entry.reason}` : ''
                ),
                entry.detail ? h('div', { class: 'detail' }, entry.detail) : ''
              )
            )
          )
    ),
  ];
}

function journeySection(data: OrderData): HTMLElement {
  const status = data.order.journey;
  if (!status)
    return section('journey-heading', 'Journey', h('p', { class: 'muted' }, 'This order runs no journey.'));
  return section(
    'journey-heading',
    'Journey',
    fields([
      [
        'Journey',
        [
          link(`/journeys/${encodeURIComponent(status.id)}?version=${status.version}`, status.id),
          ` version ${status.version}`,
        ],
      ],
      ['Status', badge(status.status)],
      ['Step', status.step ?? ''],
      [
        'Failed',
        status.resumeFrom
          ? `${status.resumeFrom.reason} (reprocess resumes at ${status.resumeFrom.step})`
          : '',
      ],
      [
        'Waiting for',
        status.waitingFor
          ?.map((wait) => `${wait.event} (${wait.step}, until ${new Date(wait.until).toLocaleString()})`)
          .join('; ') ?? '',
      ],
    ]),
    data.journey
      ? journeySteps(data.journey, status, data.timeline, data.order.orderId)
      : h('p', { class: 'muted' }, 'The journey definition could not be read.')
  );
}

function fulfillmentSection(fulfillmentOrders: FulfillmentOrder[], orderId: string): HTMLElement {
  return section(
    'fulfillment-heading',
    `Fulfillment orders (${fulfillmentOrders.length})`,
    fulfillmentOrders.length === 0
      ? h('p', { class: 'muted', id: 'no-fulfillment-orders' }, 'None yet.')
      : fulfillmentOrders.map((fo) =>
          h(
            'article',
            { class: 'fulfillment-order', 'aria-label': `Fulfillment order ${fo.id}` },
            h('h3', null, `${fo.id} `, badge(fo.state)),
            fields([
              ['Source', fo.sourceId],
              ['Sent', fo.sentAt ? when(fo.sentAt) : 'not yet'],
              ['Reason', fo.stateReason ?? ''],
            ]),
            table(
              `Lines of ${fo.id}`,
              ['Order', 'Line', 'SKU', 'Quantity', 'Shipped', 'Delivered', 'Cancelled', 'State'],
              fo.lines.map((line) => [
                line.orderId === orderId
                  ? 'this'
                  : link(`/orders/${encodeURIComponent(line.orderId)}`, line.orderId),
                line.lineId,
                line.sku,
                String(line.quantity),
                String(line.shipped),
                String(line.delivered),
                String(line.cancelled),
                badge(line.state),
              ])
            ),
            table(
              `Shipments of ${fo.id}`,
              ['Carrier', 'Tracking', 'Shipped'],
              fo.shipments.map((shipment) => [
                shipment.carrier,
                shipment.url && /^https?:\/\//i.test(shipment.url)
                  ? h(
                      'a',
                      { href: shipment.url, rel: 'noopener noreferrer', target: '_blank' },
                      shipment.trackingNumber
                    )
                  : shipment.trackingNumber,
                when(shipment.shippedAt),
              ])
            )
          )
        )
  );
}
