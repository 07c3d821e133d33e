import type { EmailTemplate } from './email-template';

/**
 * The templates that come with the code: always there, never editable (a PUT on their id is a
 * conflict). Their models are what the journey steps pass (docs/email-and-invoices.md):
 * `order` (with `customer` and `lines`), `fulfillmentOrder`, `orderReturn` and `returnLocation` (return
 * instructions), `shipments` (each `url` the tracking link: the shipment's own, or the carrier's
 * tracking page), `cancelledLines`; `alert` (a raised alert, for the operations staff its rule
 * names). Every template a customer receives has a text
 * and an HTML part; in the HTML, `{{x}}` escapes the value.
 */
export const builtInEmailTemplates: Readonly<Record<string, EmailTemplate>> = {
  'order-confirmation': {
    subject: 'Order {{order.externalId}} confirmed',
    text: [
      'Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},',
      '',
      'thank you for your order {{order.externalId}}. We received:',
      '{{#order.lines}}',
      '- {{quantity}} x {{sku}}',
      '{{/order.lines}}',
      '',
      'We will write again when it ships.',
      '',
    ].join('\n'),
    html: [
      '<p>Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},</p>',
      '<p>thank you for your order {{order.externalId}}. We received:</p>',
      '<ul>{{#order.lines}}<li>{{quantity}} x {{sku}}</li>{{/order.lines}}</ul>',
      '<p>We will write again when it ships.</p>',
    ].join('\n'),
  },
  'order-shipped': {
    subject: 'Order {{order.externalId}} has shipped',
    text: [
      'Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},',
      '',
      'parts of your order {{order.externalId}} are on their way:',
      '{{#shipments}}',
      '',
      '{{carrier}} tracking number {{trackingNumber}}{{#url}} ({{url}}){{/url}}',
      '{{#lines}}',
      '- {{quantity}} x {{sku}}',
      '{{/lines}}',
      '{{/shipments}}',
      '',
    ].join('\n'),
    html: [
      '<p>Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},</p>',
      '<p>parts of your order {{order.externalId}} are on their way:</p>',
      '{{#shipments}}',
      '<p>{{carrier}} tracking number {{#url}}<a href="{{url}}">{{trackingNumber}}</a>{{/url}}{{^url}}{{trackingNumber}}{{/url}}</p>',
      '<ul>{{#lines}}<li>{{quantity}} x {{sku}}</li>{{/lines}}</ul>',
      '{{/shipments}}',
    ].join('\n'),
  },
  'order-cancelled': {
    subject: 'Order {{order.externalId}} cancelled',
    text: [
      'Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},',
      '',
      'your order {{order.externalId}} has been cancelled.{{#cancelledLines.length}} Cancelled:{{/cancelledLines.length}}',
      '{{#cancelledLines}}',
      '- {{quantity}} x {{sku}}',
      '{{/cancelledLines}}',
      '',
      'Nothing more will ship, and you will not be charged for what was cancelled.',
      '',
    ].join('\n'),
    html: [
      '<p>Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},</p>',
      '<p>your order {{order.externalId}} has been cancelled.{{#cancelledLines.length}} Cancelled:{{/cancelledLines.length}}</p>',
      '{{#cancelledLines.length}}<ul>{{#cancelledLines}}<li>{{quantity}} x {{sku}}</li>{{/cancelledLines}}</ul>{{/cancelledLines.length}}',
      '<p>Nothing more will ship, and you will not be charged for what was cancelled.</p>',
    ].join('\n'),
  },
  'return-instructions': {
    subject: 'Your return for order {{order.externalId}}',
    text: [
      'Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},',
      '',
      'your return {{orderReturn.id}} of order {{order.externalId}} is authorized. It covers:',
      '{{#orderReturn.lines}}',
      '- {{quantity}} x {{sku}}',
      '{{/orderReturn.lines}}',
      '',
      'Please send the goods, with the return number {{orderReturn.id}} on the parcel, to:',
      '{{#returnLocation.name}}{{returnLocation.name}}{{/returnLocation.name}}',
      '{{#returnLocation.address}}',
      '{{#line1}}{{line1}}{{/line1}}',
      '{{#city}}{{city}} {{/city}}{{postalCode}}',
      '{{country}}',
      '{{/returnLocation.address}}',
      '',
      'We will refund you once the goods arrive and are inspected.',
      '',
    ].join('\n'),
    html: [
      '<p>Hello{{#order.customer.name}} {{order.customer.name}}{{/order.customer.name}},</p>',
      '<p>your return {{orderReturn.id}} of order {{order.externalId}} is authorized. It covers:</p>',
      '<ul>{{#orderReturn.lines}}<li>{{quantity}} x {{sku}}</li>{{/orderReturn.lines}}</ul>',
      '<p>Please send the goods, with the return number {{orderReturn.id}} on the parcel, to:</p>',
      '<p>{{#returnLocation.name}}{{returnLocation.name}}<br>{{/returnLocation.name}}{{#returnLocation.address}}{{#line1}}{{line1}}<br>{{/line1}}{{#city}}{{city}} {{/city}}{{postalCode}}<br>{{country}}{{/returnLocation.address}}</p>',
      '<p>We will refund you once the goods arrive and are inspected.</p>',
    ].join('\n'),
  },
  'fulfillment-order-created': {
    subject: 'Fulfillment order {{fulfillmentOrder.id}} for {{fulfillmentOrder.sourceId}}',
    text: [
      'Fulfillment order {{fulfillmentOrder.id}} asks {{fulfillmentOrder.sourceId}} to ship:',
      '{{#fulfillmentOrder.lines}}',
      '- {{quantity}} x {{sku}} (order {{orderId}}, line {{lineId}})',
      '{{/fulfillmentOrder.lines}}',
      '',
    ].join('\n'),
  },
  'alert-raised': {
    subject: '[{{alert.severity}}] {{alert.ruleName}}: {{alert.entityLabel}} {{alert.entityId}}',
    text: [
      '{{alert.message}}',
      '',
      'Rule: {{alert.ruleName}} ({{alert.ruleId}}, {{alert.ruleKind}})',
      '{{alert.entityLabel}}: {{alert.entityId}}',
      '{{#alert.orderId}}',
      'Order: {{alert.orderId}}',
      '{{/alert.orderId}}',
      'Overdue since: {{alert.overdueSince}}',
      'Raised at: {{alert.raisedAt}}',
      '',
      'Alert {{alert.id}}: acknowledge it with POST /api/v1/alerts/{{alert.id}}/acknowledge',
      '',
    ].join('\n'),
  },
};

export function isBuiltInEmailTemplate(id: string): boolean {
  return Object.hasOwn(builtInEmailTemplates, id);
}
