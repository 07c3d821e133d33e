import {
  acknowledged,
  alertCloudEvent,
  alertIdOf,
  alertEmailModel,
  newAlert,
} from '../../../shared/domain/alerts/alert';
import {
  alertRuleOf,
  cutoffOf,
  type AlertRule,
  type AlertRuleInput,
} from '../../../shared/domain/alerts/alert-rule';
import { overdueEntities, type AlertCandidates } from '../../../shared/domain/alerts/overdue';
import { builtInEmailTemplates } from '../../../shared/domain/email/built-in-templates';
import { renderEmail } from '../../../shared/domain/email/render-email';
import { loadAlertsSchedule } from '../../../shared/config';
import { ValidationError } from '../../../shared/domain/errors';
import { alertRuleInputSchema } from '../../../shared/schemas/alert.schema';
import { compileValidator } from '../../../shared/schemas/validator';

const now = new Date('2026-03-02T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

function rule(input: Partial<AlertRuleInput> & Pick<AlertRuleInput, 'kind'>, id = 'r1'): AlertRule {
  return alertRuleOf(id, { name: 'Stuck', ...input }, undefined, new Date('2026-03-01T00:00:00Z'));
}

const stuckOrders = (orders: { orderId: string; state: string; stateReason?: string; createdAt: string }[]) =>
  ({
    kind: 'orderNotSentToFulfillment',
    orders: orders.map((o) => ({ externalId: `WEB-${o.orderId}`, ...o })),
  }) satisfies AlertCandidates;

describe('orderNotSentToFulfillment', () => {
  const notSent = rule({ kind: 'orderNotSentToFulfillment', after: { minutes: 30 } });

  it('finds orders before fulfillment older than the threshold, and only those', () => {
    const found = overdueEntities(
      notSent,
      stuckOrders([
        { orderId: 'new-old', state: 'new', createdAt: minutesAgo(31) },
        { orderId: 'held-old', state: 'on hold', stateReason: 'backorder hold', createdAt: minutesAgo(90) },
        {
          orderId: 'ready-old',
          state: 'fulfillment in process',
          stateReason: 'ready to be fulfilled',
          createdAt: minutesAgo(45),
        },
        { orderId: 'new-young', state: 'new', createdAt: minutesAgo(29) },
        { orderId: 'at-threshold', state: 'new', createdAt: minutesAgo(30) },
        {
          orderId: 'sent-old',
          state: 'fulfillment in process',
          stateReason: 'sent to fulfillment',
          createdAt: minutesAgo(120),
        },
        { orderId: 'done-old', state: 'completed', createdAt: minutesAgo(120) },
      ]),
      now
    );
    expect(found.map((e) => e.entityId)).toEqual(['new-old', 'held-old', 'ready-old']);
    expect(found[0]).toEqual({
      entityType: 'order',
      entityId: 'new-old',
      orderId: 'new-old',
      overdueSince: minutesAgo(1),
      message: 'Order WEB-new-old was not sent to fulfillment within 30 minutes (state new).',
      details: { externalId: 'WEB-new-old', state: 'new', stateReason: null, createdAt: minutesAgo(31) },
    });
  });

  it('finds nothing when the rule is disabled', () => {
    const disabled = { ...notSent, enabled: false };
    expect(
      overdueEntities(
        disabled,
        stuckOrders([{ orderId: 'o', state: 'new', createdAt: minutesAgo(600) }]),
        now
      )
    ).toEqual([]);
  });

  it('reads thresholds in hours and days', () => {
    expect(
      cutoffOf(rule({ kind: 'orderNotSentToFulfillment', after: { hours: 2 } }), now).toISOString()
    ).toBe(minutesAgo(120));
    expect(cutoffOf(rule({ kind: 'backorderAged', after: { days: 1 } }), now).toISOString()).toBe(
      minutesAgo(24 * 60)
    );
  });
});

describe('fulfillmentOrderNotShipped and backorderAged', () => {
  it('finds open fulfillment orders older than the threshold', () => {
    const found = overdueEntities(
      rule({ kind: 'fulfillmentOrderNotShipped', after: { hours: 4 } }),
      {
        kind: 'fulfillmentOrderNotShipped',
        fulfillmentOrders: [
          {
            fulfillmentOrderId: 'FO-1',
            orderIds: ['O1', 'O2'],
            sourceId: 'WH',
            state: 'in progress',
            createdAt: minutesAgo(300),
          },
          {
            fulfillmentOrderId: 'FO-2',
            orderIds: ['O3'],
            sourceId: 'WH',
            state: 'completed',
            createdAt: minutesAgo(300),
          },
          {
            fulfillmentOrderId: 'FO-3',
            orderIds: ['O4'],
            sourceId: 'WH',
            state: 'new',
            createdAt: minutesAgo(200),
          },
        ],
      },
      now
    );
    expect(found).toEqual([
      expect.objectContaining({
        entityType: 'fulfillmentOrder',
        entityId: 'FO-1',
        orderId: 'O1',
        overdueSince: minutesAgo(60),
        message: 'Fulfillment order FO-1 at WH has not shipped within 4 hours (state in progress).',
      }),
    ]);
  });

  it('finds backorder holds held longer than the threshold', () => {
    const hold = { holdId: 'O1-L1', orderId: 'O1', lineId: '1', sku: 'SHOE', quantity: 2 };
    const found = overdueEntities(
      rule({ kind: 'backorderAged', after: { days: 2 } }),
      {
        kind: 'backorderAged',
        holds: [
          { ...hold, heldAt: minutesAgo(3 * 24 * 60) },
          { ...hold, holdId: 'O2-L1', orderId: 'O2', heldAt: minutesAgo(24 * 60) },
        ],
      },
      now
    );
    expect(found.map((e) => [e.entityType, e.entityId, e.orderId, e.message])).toEqual([
      [
        'inventoryHold',
        'O1-L1',
        'O1',
        'Line 1 of order O1 (2 x SHOE) has been on backorder for more than 2 days.',
      ],
    ]);
  });
});

describe('errorListGrowing', () => {
  const growing = rule({ kind: 'errorListGrowing', minEntries: 5, withinMinutes: 15 });
  const lists = (entries: number) =>
    ({
      kind: 'errorListGrowing',
      lists: [
        { list: 'provider-inbound', entries },
        { list: 'policy', entries: 1 },
      ],
    }) satisfies AlertCandidates;

  it('raises for lists that got minEntries within the window, one entity per aligned window', () => {
    const found = overdueEntities(growing, lists(5), now);
    expect(found).toEqual([
      expect.objectContaining({
        entityType: 'errorList',
        entityId: 'provider-inbound@2026-03-02T12:00:00.000Z',
      }),
    ]);
    // Later in the same window: the same entity, so the same alert.
    const later = overdueEntities(growing, lists(9), new Date(now.getTime() + 14 * 60_000));
    expect(later.map((e) => e.entityId)).toEqual(['provider-inbound@2026-03-02T12:00:00.000Z']);
    // The next window is another entity.
    const next = overdueEntities(growing, lists(9), new Date(now.getTime() + 15 * 60_000));
    expect(next.map((e) => e.entityId)).toEqual(['provider-inbound@2026-03-02T12:15:00.000Z']);
    expect(overdueEntities(growing, lists(4), now)).toEqual([]);
  });

  it('watches only its list when it names one', () => {
    const policyOnly = rule({ kind: 'errorListGrowing', list: 'policy', minEntries: 1, withinMinutes: 5 });
    expect(overdueEntities(policyOnly, lists(50), now).map((e) => e.entityId)).toEqual([
      'policy@2026-03-02T12:00:00.000Z',
    ]);
    expect(cutoffOf(policyOnly, now).toISOString()).toBe(minutesAgo(5));
  });
});

describe('alerts', () => {
  const notSent = rule({
    kind: 'orderNotSentToFulfillment',
    after: { minutes: 30 },
    recipients: ['ops@example.com'],
  });
  const [entity] = overdueEntities(
    notSent,
    stuckOrders([{ orderId: 'O1', state: 'new', createdAt: minutesAgo(40) }]),
    now
  );

  it('has one id per rule and entity', () => {
    expect(alertIdOf('r1', 'O1')).toBe(alertIdOf('r1', 'O1'));
    expect(alertIdOf('r1', 'O1')).not.toBe(alertIdOf('r2', 'O1'));
    expect(alertIdOf('r1', 'O1')).not.toBe(alertIdOf('r1', 'O2'));
    expect(alertIdOf('r1', 'weird/id?#')).toMatch(/^alert-[A-Za-z0-9_-]{32}$/);
  });

  it('is acknowledged once: a second acknowledgement changes nothing', () => {
    const alert = newAlert(notSent, entity!, now);
    expect(alert).toMatchObject({
      state: 'open',
      ruleId: 'r1',
      entityId: 'O1',
      recipients: ['ops@example.com'],
    });
    const later = new Date(now.getTime() + 60_000);
    const done = acknowledged(alert, { by: 'ann', note: 'on it' }, later);
    expect(done).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'ann',
      acknowledgeNote: 'on it',
      acknowledgedAt: later.toISOString(),
    });
    expect(acknowledged(done!, { by: 'bob' }, later)).toBeUndefined();
  });

  it('is published as a CloudEvent of entity type alert, and mailed with the alert-raised template', () => {
    const alert = newAlert(notSent, entity!, now);
    expect(alertCloudEvent(alert, 'Alert Raised')).toEqual({
      specversion: '1.0',
      type: 'openiom.alert.alert-raised',
      source: `/openiom/alerts/${alert.id}`,
      id: `${alert.id}:raised`,
      time: now.toISOString(),
      subject: `alert/${alert.id}`,
      datacontenttype: 'application/json',
      data: {
        name: 'Alert Raised',
        entityType: 'alert',
        entityId: alert.id,
        orderId: 'O1',
        data: expect.objectContaining({
          ruleId: 'r1',
          subjectType: 'order',
          subjectId: 'O1',
          severity: 'warning',
        }),
      },
    });
    const mail = renderEmail(builtInEmailTemplates['alert-raised']!, alertEmailModel(alert));
    expect(mail.subject).toBe('[warning] Stuck: Order O1');
    expect(mail.text).toContain('Order WEB-O1 was not sent to fulfillment within 30 minutes');
    expect(mail.text).toContain(`POST /api/v1/alerts/${alert.id}/acknowledge`);
  });
});

describe('the alert rule schema', () => {
  const validate = compileValidator<AlertRuleInput>(alertRuleInputSchema, 'alert rule');
  const issues = (body: unknown) => {
    try {
      validate(body);
      return [];
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return err.errors.map((e) => e.path);
    }
  };

  it('takes each kind in its own shape', () => {
    expect(
      issues({ name: 'a', kind: 'orderNotSentToFulfillment', after: { minutes: 30 }, recipients: ['a@b.co'] })
    ).toEqual([]);
    expect(
      issues({ name: 'a', kind: 'errorListGrowing', minEntries: 3, withinMinutes: 10, list: 'policy' })
    ).toEqual([]);
  });

  it('names the paths of what is wrong', () => {
    expect(issues({ name: 'a', kind: 'backorderAged' })).toContain('/after');
    expect(issues({ name: 'a', kind: 'backorderAged', after: { minutes: 1, hours: 1 } })).toContain('/after');
    expect(issues({ name: 'a', kind: 'backorderAged', after: { weeks: 1 } })).toContain('/after/weeks');
    expect(issues({ name: 'a', kind: 'errorListGrowing', withinMinutes: 5 })).toContain('/minEntries');
    expect(
      issues({ name: 'a', kind: 'errorListGrowing', minEntries: 1, withinMinutes: 5, after: { minutes: 1 } })
    ).toContain('/after');
    expect(issues({ name: 'a', kind: 'orderNotSentToFulfillment', after: { minutes: 0 } })).toContain(
      '/after/minutes'
    );
    expect(
      issues({ name: 'a', kind: 'orderNotSentToFulfillment', after: { minutes: 5 }, recipients: ['nope'] })
    ).toContain('/recipients/0');
    expect(issues({ name: 'a', kind: 'sometimes' })).toContain('/kind');
  });
});

describe('OPENIOM_ALERTS_SCHEDULE', () => {
  it('defaults to every minute and refuses a five-field cron', () => {
    expect(loadAlertsSchedule({})).toBe('0 * * * * *');
    expect(loadAlertsSchedule({ OPENIOM_ALERTS_SCHEDULE: '*/10 * * * * *' })).toBe('*/10 * * * * *');
    expect(() => loadAlertsSchedule({ OPENIOM_ALERTS_SCHEDULE: '* * * * *' })).toThrow(/six-field NCRONTAB/);
  });
});
