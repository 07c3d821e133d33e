import { builtInEmailTemplates } from '../../../shared/domain/email/built-in-templates';
import {
  claimableReason,
  claimed,
  deliveryMessageId,
  isStranded,
  markedFailed,
  markedForRetry,
  markedSent,
  outgoingEmailOf,
  smtpFailureKind,
} from '../../../shared/domain/email/email-delivery';
import type { OutboxMessage } from '../../../shared/domain/email/outbox-message';
import { renderEmail } from '../../../shared/domain/email/render-email';
import { trackingUrlOf } from '../../../shared/domain/email/tracking-url';
import { loadConfig } from '../../../shared/config';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

const queued: OutboxMessage = {
  id: 'outbox:k1',
  type: 'outbox',
  orderId: 'O1',
  templateId: 'order-confirmation',
  to: 'ann@example.com',
  subject: 'Order WEB-1 confirmed',
  text: 'Hi',
  html: '<p>Hi</p>',
  status: 'queued',
  queuedAt: t0.toISOString(),
  createdAt: t0.toISOString(),
  updatedAt: t0.toISOString(),
};

describe('deliveryMessageId', () => {
  it('is the same for the same outbox message and differs between messages', () => {
    const id = deliveryMessageId(queued, 'orders@shop.example');
    expect(id).toMatch(/^<outbox\.[0-9a-f]{32}@shop\.example>$/);
    const other: OutboxMessage = { ...queued, subject: 'other' };
    expect(deliveryMessageId(other, 'orders@shop.example')).toBe(id);
    expect(deliveryMessageId({ ...queued, id: 'outbox:k2' }, 'orders@shop.example')).not.toBe(id);
    expect(deliveryMessageId({ ...queued, orderId: 'O2' }, 'orders@shop.example')).not.toBe(id);
  });

  it('takes the domain of a named sender', () => {
    expect(deliveryMessageId(queued, 'Shop <orders@shop.example>')).toMatch(/@shop\.example>$/);
  });

  it('makes the mail from the message', () => {
    expect(outgoingEmailOf(queued, 'orders@shop.example')).toEqual({
      messageId: deliveryMessageId(queued, 'orders@shop.example'),
      from: 'orders@shop.example',
      to: 'ann@example.com',
      subject: 'Order WEB-1 confirmed',
      text: 'Hi',
      html: '<p>Hi</p>',
    });
  });
});

describe('claims', () => {
  it('lets a queued message be claimed, counting the attempt', () => {
    expect(claimableReason(queued, t0)).toBe('claimable');
    const claim = claimed(queued, later(1000));
    expect(claim).toMatchObject({ status: 'sending', claimedAt: later(1000).toISOString(), attempts: 1 });
    expect(claimed({ ...claim, status: 'queued' }, later(2000)).attempts).toBe(2);
  });

  it('leaves a fresh claim to its worker and lets a stale one be taken over', () => {
    const claim = claimed(queued, t0);
    expect(claimableReason(claim, later(60_000))).toBe('claimed');
    expect(claimableReason(claim, later(5 * 60_000))).toBe('claimable');
  });

  it('never claims a sent or failed message', () => {
    const sent = markedSent(claimed(queued, t0), { messageId: '<m>', smtpResponse: '250 OK' }, later(10));
    expect(sent).toMatchObject({ status: 'sent', sentAt: later(10).toISOString(), attempts: 1 });
    expect(sent.claimedAt).toBeUndefined();
    expect(claimableReason(sent, later(3_600_000))).toBe('final');
    const failed = markedFailed(claimed(queued, t0), 'rejected', later(10));
    expect(failed).toMatchObject({
      status: 'failed',
      statusReason: 'rejected',
      failedAt: later(10).toISOString(),
    });
    expect(claimableReason(failed, later(3_600_000))).toBe('final');
  });

  it('puts a transiently failed message back with its error', () => {
    const retry = markedForRetry(claimed(queued, t0), '421 busy', later(10));
    expect(retry).toMatchObject({ status: 'queued', lastError: '421 busy', attempts: 1 });
    expect(retry.claimedAt).toBeUndefined();
  });
});

it('counts as stranded a message queued over a minute ago, or under a dead claim not queued again since', () => {
  expect(isStranded(queued, later(59_000))).toBe(false);
  expect(isStranded(queued, later(60_000))).toBe(true);
  const claim = claimed(queued, t0);
  expect(isStranded(claim, later(4 * 60_000))).toBe(false);
  expect(isStranded(claim, later(5 * 60_000))).toBe(true);
  expect(isStranded({ ...claim, queuedAt: later(4.5 * 60_000).toISOString() }, later(5 * 60_000))).toBe(
    false
  );
  const sent = markedSent(claim, { messageId: '<m>', smtpResponse: '250' }, t0);
  expect(isStranded(sent, later(3_600_000))).toBe(false);
});

it('treats 5xx replies as permanent and everything else as transient', () => {
  expect(smtpFailureKind(550)).toBe('permanent');
  expect(smtpFailureKind(554)).toBe('permanent');
  expect(smtpFailureKind(451)).toBe('transient');
  expect(smtpFailureKind(421)).toBe('transient');
  expect(smtpFailureKind(undefined)).toBe('transient');
  // A refused login is the settings' fault, not the message's.
  expect(smtpFailureKind(535, 'EAUTH')).toBe('transient');
  expect(smtpFailureKind(550, 'EENVELOPE')).toBe('permanent');
});

describe('trackingUrlOf', () => {
  it('prefers the shipment’s own link', () => {
    expect(trackingUrlOf({ carrier: 'UPS', trackingNumber: '1Z9', url: 'https://t.example/1Z9' })).toBe(
      'https://t.example/1Z9'
    );
  });

  it('builds a known carrier’s link from the number, and none for an unknown carrier', () => {
    expect(trackingUrlOf({ carrier: 'ups', trackingNumber: '1Z 9&x' })).toBe(
      'https://www.ups.com/track?tracknum=1Z%209%26x'
    );
    expect(trackingUrlOf({ carrier: 'FedEx', trackingNumber: '7777' })).toBe(
      'https://www.fedex.com/fedextrack/?trknbr=7777'
    );
    expect(trackingUrlOf({ carrier: 'Pigeon', trackingNumber: '1' })).toBeUndefined();
  });
});

it('renders the cancellation email with text and escaped HTML', () => {
  const order = { externalId: 'WEB-<1>', customer: { name: 'Ann & Bob' } };
  const rendered = renderEmail(builtInEmailTemplates['order-cancelled']!, {
    order,
    cancelledLines: [{ sku: 'SHOE', quantity: 2 }],
  });
  expect(rendered.subject).toBe('Order WEB-<1> cancelled');
  expect(rendered.text).toContain('Hello Ann & Bob,');
  expect(rendered.text).toContain('- 2 x SHOE');
  expect(rendered.html).toContain('Hello Ann &amp; Bob,');
  expect(rendered.html).toContain('order WEB-&lt;1&gt; has been cancelled');
  expect(rendered.html).toContain('<li>2 x SHOE</li>');
});

it('every built-in template a customer receives has a text and an HTML part', () => {
  for (const id of ['order-confirmation', 'order-shipped', 'order-cancelled']) {
    expect(builtInEmailTemplates[id]).toEqual(
      expect.objectContaining({ text: expect.any(String), html: expect.any(String) })
    );
  }
});

describe('SMTP settings', () => {
  const base = {
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    COSMOS_ENDPOINT: 'http://127.0.0.1:8081',
    COSMOS_KEY: 'a2V5',
  };

  it('are absent without SMTP_URL, and default the sender', () => {
    expect(loadConfig(base).smtp).toBeUndefined();
    expect(loadConfig({ ...base, SMTP_URL: ' ' }).smtp).toBeUndefined();
    expect(loadConfig({ ...base, SMTP_URL: 'smtp://user:pw-secret@mail.example:587' }).smtp).toEqual({
      url: 'smtp://user:pw-secret@mail.example:587',
      from: 'orders@openiom.local',
      server: 'smtp://mail.example:587',
    });
    expect(
      loadConfig({ ...base, SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_FROM: 'Shop <a@b.example>' }).smtp?.from
    ).toBe('Shop <a@b.example>');
  });

  it('refuse a URL that is not smtp(s) without repeating it', () => {
    let message = '';
    try {
      loadConfig({ ...base, SMTP_URL: 'http://user:pw-secret@mail.example' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/SMTP_URL must be an smtp:\/\//);
    expect(message).not.toContain('pw-secret');
    expect(() => loadConfig({ ...base, SMTP_URL: 'smtp://h:1', SMTP_FROM: 'nobody' })).toThrow(/SMTP_FROM/);
  });
});
