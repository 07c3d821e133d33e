import {
  builtInEmailTemplates,
  isBuiltInEmailTemplate,
} from '../../../shared/domain/email/built-in-templates';
import { checkEmailTemplate } from '../../../shared/domain/email/email-template';
import { newOutboxMessage } from '../../../shared/domain/email/outbox-message';
import { renderEmail } from '../../../shared/domain/email/render-email';
import { ValidationError } from '../../../shared/domain/errors';

const order = {
  orderId: 'O1',
  externalId: 'WEB-1001',
  customer: { email: 'ann@example.com', name: 'Ann & Bob' },
  lines: [
    { lineId: '1', sku: 'SHOE', quantity: 2 },
    { lineId: '2', sku: 'SOCK', quantity: 3 },
  ],
};

describe('renderEmail', () => {
  it('escapes HTML in the html part only, and keeps the subject on one line', () => {
    const rendered = renderEmail(
      { subject: 'Hi {{name}}\r\nBcc: x@evil', text: 'Dear {{name}}', html: '<p>{{name}}</p>{{{raw}}}' },
      { name: '<b>Ann</b> & Co', raw: '<hr>' }
    );
    expect(rendered).toEqual({
      subject: 'Hi <b>Ann</b> & Co Bcc: x@evil',
      text: 'Dear <b>Ann</b> & Co',
      html: '<p>&lt;b&gt;Ann&lt;&#x2F;b&gt; &amp; Co</p><hr>',
    });
  });

  it('has no html part when the template has none, and renders missing values as nothing', () => {
    expect(renderEmail({ subject: 'S {{missing.value}}', text: 'T{{nothing}}.' }, {})).toEqual({
      subject: 'S',
      text: 'T.',
    });
  });

  it('renders the order confirmation with every line', () => {
    const rendered = renderEmail(builtInEmailTemplates['order-confirmation']!, { order });
    expect(rendered.subject).toBe('Order WEB-1001 confirmed');
    expect(rendered.text).toContain('Hello Ann & Bob,');
    expect(rendered.text).toContain('- 2 x SHOE\n- 3 x SOCK\n');
    expect(rendered.html).toContain('<li>2 x SHOE</li><li>3 x SOCK</li>');
    expect(rendered.html).toContain('Hello Ann &amp; Bob,');
  });

  it('lists each shipment of the order-shipped email with its tracking number and lines', () => {
    const rendered = renderEmail(builtInEmailTemplates['order-shipped']!, {
      order,
      shipments: [
        {
          carrier: 'UPS',
          trackingNumber: '1Z999',
          url: 'https://ups.example/1Z999',
          lines: [{ sku: 'SHOE', quantity: 2 }],
        },
        { carrier: 'DHL', trackingNumber: 'JD0002', lines: [{ sku: 'SOCK', quantity: 1 }] },
      ],
    });
    expect(rendered.subject).toBe('Order WEB-1001 has shipped');
    expect(rendered.text).toContain('UPS tracking number 1Z999 (https://ups.example/1Z999)\n- 2 x SHOE');
    expect(rendered.text).toContain('DHL tracking number JD0002\n- 1 x SOCK');
    expect(rendered.html).toContain('<a href="https:&#x2F;&#x2F;ups.example&#x2F;1Z999">1Z999</a>');
    expect(rendered.html).toContain('DHL tracking number JD0002</p>');
  });

  it('renders the fulfillment-order-created email from the fulfillment order', () => {
    const rendered = renderEmail(builtInEmailTemplates['fulfillment-order-created']!, {
      fulfillmentOrder: {
        id: 'FO1',
        sourceId: 'W1',
        lines: [{ orderId: 'O1', lineId: '1', sku: 'SHOE', quantity: 2 }],
      },
    });
    expect(rendered.subject).toBe('Fulfillment order FO1 for W1');
    expect(rendered.text).toContain('- 2 x SHOE (order O1, line 1)');
  });
});

describe('checkEmailTemplate', () => {
  it('accepts the built-ins', () => {
    for (const template of Object.values(builtInEmailTemplates))
      expect(checkEmailTemplate(template)).toBe(template);
  });

  it('names each part that does not parse, with the parser message', () => {
    let caught: unknown;
    try {
      checkEmailTemplate({ subject: 'ok {{x}}', text: 'Hi {{name', html: '{{#lines}}<li>{{sku}}</li>' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).errors).toEqual([
      { path: '/text', message: expect.stringContaining('Unclosed tag') },
      { path: '/html', message: expect.stringContaining('Unclosed section "lines"') },
    ]);
  });
});

it('knows the built-in ids and nothing inherited', () => {
  expect(isBuiltInEmailTemplate('order-shipped')).toBe(true);
  expect(isBuiltInEmailTemplate('constructor')).toBe(false);
  expect(isBuiltInEmailTemplate('my-template')).toBe(false);
});

describe('newOutboxMessage', () => {
  const template = { subject: 'Order {{order.externalId}}', text: 'Hi' };
  const now = new Date('2026-03-01T10:00:00.000Z');

  it('addresses the customer by default and renders the template', () => {
    expect(
      newOutboxMessage({ key: 'k1', orderId: 'O1', templateId: 't', template, model: { order } }, now)
    ).toEqual({
      id: 'outbox:k1',
      type: 'outbox',
      orderId: 'O1',
      templateId: 't',
      to: 'ann@example.com',
      subject: 'Order WEB-1001',
      text: 'Hi',
      status: 'queued',
      queuedAt: '2026-03-01T10:00:00.000Z',
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('prefers the given address', () => {
    const message = newOutboxMessage(
      { key: 'k1', orderId: 'O1', templateId: 't', template, to: 'ops@example.com', model: { order } },
      now
    );
    expect(message.to).toBe('ops@example.com');
  });

  it('refuses a message without an address', () => {
    const model = { order: { ...order, customer: { name: 'Ann', email: ' ' } } };
    let caught: unknown;
    try {
      newOutboxMessage({ key: 'k1', orderId: 'O1', templateId: 't', template, model }, now);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).code).toBe('email-address-missing');
    expect((caught as ValidationError).errors).toEqual([expect.objectContaining({ path: '/to' })]);
  });
});
