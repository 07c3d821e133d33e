import { randomUUID } from 'node:crypto';
import { acknowledgeAlert } from '../../shared/app/alerts/acknowledge-alert';
import { deleteAlertRule, putAlertRule } from '../../shared/app/alerts/alert-rules';
import { evaluateAlerts, type EvaluateAlertsDeps } from '../../shared/app/alerts/evaluate-alerts';
import { listAlerts } from '../../shared/app/alerts/list-alerts';
import {
  acknowledgeAlertDeps,
  alertRuleDeps,
  evaluateAlertsDeps,
  listAlertsDeps,
} from '../../shared/app/alerts/wiring';
import { getOutbox } from '../../shared/app/email/wiring';
import { getErrorListRepository } from '../../shared/app/error-lists/wiring';
import { getInventoryHoldStore } from '../../shared/app/inventory/holds/wiring';
import { getFulfillmentOrderRepository, getOrderRepository } from '../../shared/app/orders/wiring';
import { getCosmosDatabase, setClock } from '../../shared/app/platform/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { resetConfigForTests } from '../../shared/config';
import type { Alert } from '../../shared/domain/alerts/alert';
import type { AlertRuleInput } from '../../shared/domain/alerts/alert-rule';
import type { BusinessCloudEvent } from '../../shared/domain/events/cloud-event';
import type { BusinessEventPublisher } from '../../shared/ports/orders';
import type { FulfillmentOrder } from '../../shared/domain/fulfillment-orders/fulfillment-order';
import { newOrder, type Order } from '../../shared/domain/orders/order';

// The alert evaluation against the embedded Cosmos server the Jest global setup starts, driven by a
// test clock: the stores' real queries find the candidates, the real outbox takes the emails, and
// the real publisher (the business-events storage queue) the events, which the test also records.

const start = new Date('2026-03-02T09:00:00.000Z');
let now = start;
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
const saved = { ...process.env };
const published: BusinessCloudEvent[] = [];

beforeAll(() => {
  process.env = { ...saved, COSMOS_DATABASE: `it-alerts-${randomUUID()}`, SMTP_URL: '' };
  resetConfigForTests();
  resetRegistry();
  setClock({ now: () => now });
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

afterEach(async () => {
  // Each test's rule goes: the next test's evaluations run its own rule only.
  const deps = await alertRuleDeps();
  for (const rule of await deps.rules.list()) await deleteAlertRule(deps, rule.id);
});

/** The real publisher, with what it published kept for the test to read. */
function recording(publisher: BusinessEventPublisher): BusinessEventPublisher {
  return {
    publish: async (events) => {
      published.push(...events);
      await publisher.publish(events);
    },
  };
}

async function evaluationDeps(): Promise<EvaluateAlertsDeps> {
  const deps = await evaluateAlertsDeps();
  return { ...deps, publisher: recording(deps.publisher) };
}

async function acknowledge(alertId: string, body: unknown) {
  const deps = await acknowledgeAlertDeps();
  return acknowledgeAlert({ ...deps, publisher: recording(deps.publisher) }, alertId, body);
}

/** Moves an order out of the states before fulfillment, so later tests' rules do not find it. */
async function cancel(order: Order) {
  const orders = await getOrderRepository();
  const current = await orders.getForUpdate(order.orderId);
  await orders.saveWithTimeline({ ...current!.order, state: 'cancelled' }, current!.etag, []);
}

async function evaluateAt(minutes: number) {
  now = at(minutes);
  return evaluateAlerts(await evaluationDeps());
}

async function putRule(id: string, input: Omit<AlertRuleInput, 'name'>) {
  now = start;
  return (await putAlertRule(await alertRuleDeps(), id, { name: `Rule ${id}`, ...input })).rule;
}

async function alertsOf(ruleId: string): Promise<Alert[]> {
  return (await listAlerts(await listAlertsDeps(), { ruleId }, 100)).items;
}

async function storedOrder(createdAt: Date, state?: { state: string; stateReason?: string }): Promise<Order> {
  const orderId = randomUUID();
  const order = {
    ...newOrder(
      {
        externalId: `WEB-${orderId.slice(0, 8)}`,
        currency: 'USD',
        customer: { email: 'ann@example.com' },
        shipTo: { postalCode: '10001', country: 'US' },
        lines: [{ sku: 'SHOE', quantity: 1 }],
      },
      { orderId, intakeKey: orderId },
      createdAt
    ),
    ...state,
  };
  expect(await (await getOrderRepository()).createWithTimeline(order, [])).toBe('created');
  return order;
}

describe('orderNotSentToFulfillment', () => {
  it('raises one alert after N minutes, not two; acknowledging it keeps it quiet', async () => {
    await putRule('stuck-orders', {
      kind: 'orderNotSentToFulfillment',
      after: { minutes: 30 },
      recipients: ['ops@example.com', 'lead@example.com'],
      severity: 'critical',
    });
    const stuck = await storedOrder(start);
    // Sent to fulfillment long ago: never an alert.
    await storedOrder(at(-120), { state: 'fulfillment in process', stateReason: 'sent to fulfillment' });

    expect((await evaluateAt(29)).raised).toEqual([]);
    expect(await alertsOf('stuck-orders')).toEqual([]);

    const raised = await evaluateAt(31);
    expect(raised.failed).toEqual([]);
    expect(raised.raised).toHaveLength(1);
    const alert = raised.raised[0]!;
    expect(alert).toMatchObject({
      ruleId: 'stuck-orders',
      ruleKind: 'orderNotSentToFulfillment',
      severity: 'critical',
      entityType: 'order',
      entityId: stuck.orderId,
      orderId: stuck.orderId,
      state: 'open',
      overdueSince: at(30).toISOString(),
      raisedAt: at(31).toISOString(),
    });

    expect((await evaluateAt(35)).raised).toEqual([]);
    const listed = await alertsOf('stuck-orders');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: alert.id, state: 'open', notifiedAt: at(31).toISOString() });

    // One email per recipient, and one Alert Raised event, however often it is evaluated.
    const mails = await (await getOutbox()).listByOrder(alert.id);
    expect(mails.map((m) => [m.templateId, m.to, m.status])).toEqual([
      ['alert-raised', 'ops@example.com', 'queued'],
      ['alert-raised', 'lead@example.com', 'queued'],
    ]);
    expect(mails[0]!.subject).toBe(`[critical] Rule stuck-orders: Order ${stuck.orderId}`);
    expect(published.filter((e) => e.subject === `alert/${alert.id}`).map((e) => e.type)).toEqual([
      'openiom.alert.alert-raised',
    ]);

    now = at(40);
    const ack = await acknowledge(alert.id, {
      by: 'ann',
      note: 'calling the DC',
    });
    expect(ack).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'ann',
      acknowledgedAt: at(40).toISOString(),
    });
    // Acknowledging again answers the same alert and publishes nothing more.
    now = at(41);
    expect(await acknowledge(alert.id, {})).toEqual(ack);

    expect((await evaluateAt(120)).raised).toEqual([]);
    const after = await alertsOf('stuck-orders');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: alert.id,
      state: 'acknowledged',
      acknowledgeNote: 'calling the DC',
    });
    expect((await (await getOutbox()).listByOrder(alert.id)).length).toBe(2);
    expect(published.filter((e) => e.subject === `alert/${alert.id}`).map((e) => e.type)).toEqual([
      'openiom.alert.alert-raised',
      'openiom.alert.alert-acknowledged',
    ]);
    expect(await alertsOf('other-rule')).toEqual([]);
    expect(
      (
        await listAlerts(await listAlertsDeps(), { state: 'acknowledged', entityId: stuck.orderId }, 10)
      ).items.map((a) => a.id)
    ).toEqual([alert.id]);
    await cancel(stuck);
  });

  it('finishes notifying an alert whose evaluation died after storing it', async () => {
    await putRule('crashy', {
      kind: 'orderNotSentToFulfillment',
      after: { minutes: 5 },
      recipients: ['ops@example.com'],
    });
    const order = await storedOrder(start);
    const deps = await evaluationDeps();
    const dying: EvaluateAlertsDeps = {
      ...deps,
      queueEmail: () => Promise.reject(new Error('worker died')),
    };
    now = at(6);
    const first = await evaluateAlerts(dying);
    expect(first.failed).toEqual([{ ruleId: 'crashy', entityId: order.orderId, detail: 'worker died' }]);
    const [stored] = await alertsOf('crashy');
    expect(stored).toMatchObject({ entityId: order.orderId, state: 'open' });
    expect(stored!.notifiedAt).toBeUndefined();

    // The next evaluation raises nothing new but sends what the first could not, once.
    expect((await evaluateAt(7)).raised).toEqual([]);
    expect((await evaluateAt(8)).raised).toEqual([]);
    expect((await (await getOutbox()).listByOrder(stored!.id)).map((m) => m.to)).toEqual(['ops@example.com']);
    expect((await alertsOf('crashy'))[0]!.notifiedAt).toBe(at(7).toISOString());
    expect(published.filter((e) => e.subject === `alert/${stored!.id}`)).toHaveLength(1);
    await cancel(order);
  });
});

describe('the other kinds', () => {
  function fulfillmentOrder(id: string, orderId: string, state: string, createdAt: Date): FulfillmentOrder {
    const iso = createdAt.toISOString();
    return {
      id,
      type: 'fulfillmentOrder',
      sourceId: 'WH-1',
      orderIds: [orderId],
      customerKey: `order:${orderId}`,
      shipTo: { postalCode: '10001', country: 'US' },
      state,
      lines: [],
      shipments: [],
      appliedEventIds: [],
      sendAfter: iso,
      createdAt: iso,
      updatedAt: iso,
    };
  }

  it('fulfillmentOrderNotShipped: an open FO older than N hours, once', async () => {
    await putRule('unshipped', { kind: 'fulfillmentOrderNotShipped', after: { hours: 2 } });
    const order = await storedOrder(start, {
      state: 'fulfillment in process',
      stateReason: 'sent to fulfillment',
    });
    const fos = await getFulfillmentOrderRepository();
    const open = `FO-${randomUUID()}`;
    await fos.create(fulfillmentOrder(open, order.orderId, 'in progress', start));
    await fos.create(fulfillmentOrder(`FO-${randomUUID()}`, order.orderId, 'completed', start));

    expect((await evaluateAt(119)).raised).toEqual([]);
    const raised = await evaluateAt(121);
    expect(raised.raised.map((a) => [a.entityType, a.entityId, a.orderId])).toEqual([
      ['fulfillmentOrder', open, order.orderId],
    ]);
    expect((await evaluateAt(200)).raised).toEqual([]);
    expect(await alertsOf('unshipped')).toHaveLength(1);
    // No recipients: listed and published, nothing mailed.
    expect(await (await getOutbox()).listByOrder(raised.raised[0]!.id)).toEqual([]);
  });

  it('backorderAged: a line held on backorder longer than N days, once', async () => {
    await putRule('old-backorders', {
      kind: 'backorderAged',
      after: { days: 1 },
      recipients: ['buyer@example.com'],
    });
    const holds = await getInventoryHoldStore();
    const orderId = randomUUID();
    const hold = {
      id: `${orderId}-L1`,
      sku: `SKU-${orderId.slice(0, 6)}`,
      orderId,
      lineId: '1',
      quantity: 4,
      kind: 'backorder' as const,
      state: 'held' as const,
      episodeNumber: 1,
      queuedAt: start.toISOString(),
      heldAt: start.toISOString(),
      estimatedAvailableDate: null,
      createdAt: start.toISOString(),
      updatedAt: start.toISOString(),
    };
    await holds.create(hold);
    await holds.create({
      ...hold,
      id: `${orderId}-L2`,
      lineId: '2',
      kind: 'preorder',
      launchDate: '2026-06-01',
    });

    expect((await evaluateAt(24 * 60 - 1)).raised).toEqual([]);
    const raised = await evaluateAt(24 * 60 + 1);
    expect(raised.raised.map((a) => [a.entityType, a.entityId, a.orderId])).toEqual([
      ['inventoryHold', hold.id, orderId],
    ]);
    expect((await evaluateAt(3 * 24 * 60)).raised).toEqual([]);
    const mails = await (await getOutbox()).listByOrder(raised.raised[0]!.id);
    expect(mails.map((m) => m.to)).toEqual(['buyer@example.com']);
    expect(mails[0]!.text).toContain(`Line 1 of order ${orderId} (4 x ${hold.sku}) has been on backorder`);
  });

  it('errorListGrowing: a list that got minEntries within the window, once per window', async () => {
    await putRule('inbound-errors', {
      kind: 'errorListGrowing',
      list: 'provider-inbound',
      minEntries: 3,
      withinMinutes: 10,
    });
    const errors = await getErrorListRepository();
    const entryAt = async (minutes: number) =>
      errors.create({
        id: randomUUID(),
        type: 'error-entry',
        kind: 'provider-inbound',
        createdAt: at(minutes).toISOString(),
        source: 'order-intake',
        message: 'mapping missing',
        status: 'open',
        attempts: 1,
      });
    await entryAt(1);
    await entryAt(2);
    // An entry of another list does not count.
    await errors.create({
      id: randomUUID(),
      type: 'error-entry',
      kind: 'policy',
      createdAt: at(2).toISOString(),
      source: 'p',
      message: 'm',
      status: 'open',
      attempts: 1,
    });
    expect((await evaluateAt(3)).raised).toEqual([]);
    await entryAt(4);
    const raised = await evaluateAt(5);
    expect(raised.raised.map((a) => [a.entityType, a.entityId])).toEqual([
      ['errorList', `provider-inbound@${at(0).toISOString()}`],
    ]);
    expect(raised.raised[0]!.orderId).toBeUndefined();
    expect((await evaluateAt(9)).raised).toEqual([]);
    // The next window, the list still growing: one more alert.
    await entryAt(11);
    await entryAt(12);
    expect((await evaluateAt(13)).raised.map((a) => a.entityId)).toEqual([
      `provider-inbound@${at(10).toISOString()}`,
    ]);
    expect(await alertsOf('inbound-errors')).toHaveLength(2);
  });
});
