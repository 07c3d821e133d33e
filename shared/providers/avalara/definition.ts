import type { ProviderDefinition } from '../../domain/providers/provider-definition';

export const avalaraSandboxUrl = 'https://sandbox-rest.avatax.com';

/**
 * Avalara AvaTax (REST v2): tax per order line from an estimate (`SalesOrder`, not recorded), the
 * recorded and committed invoice (`SalesInvoice` through CreateOrAdjust, safe to repeat), and the
 * void on cancel. Synchronous calls only: it sends no webhooks.
 */
export const avalaraDefinition: ProviderDefinition = {
  id: 'avalara',
  name: 'Avalara AvaTax',
  description: 'Sales tax per order line from AvaTax; invoices recorded and committed, voided on cancel',
  serviceType: 'tax',
  serviceTypes: ['tax'],
  parameters: [
    {
      name: 'baseUrl',
      description: `The AvaTax host: the sandbox (${avalaraSandboxUrl}) or production (https://rest.avatax.com)`,
      type: 'url',
      required: false,
      default: avalaraSandboxUrl,
    },
    {
      name: 'companyCode',
      description: 'The company code of your AvaTax company',
      type: 'string',
      required: true,
    },
    {
      name: 'shipFromAddress',
      description:
        'Where goods ship from, as JSON {"line1","city","region","postalCode","country"}; without it the ship-to address is the single location',
      type: 'string',
      required: false,
    },
    {
      name: 'documentCodePrefix',
      description: 'Put before our order or fulfillment order id to make the AvaTax document code',
      type: 'string',
      required: false,
      default: '',
    },
  ],
  secrets: [
    {
      name: 'accountId',
      description: 'The AvaTax account id (the user name of Basic authentication)',
      required: false,
    },
    { name: 'licenseKey', description: 'The AvaTax license key', required: true },
  ],
  messageTypes: [],
  actions: [
    {
      name: 'calculateTax',
      description:
        "Estimates the tax of the order's lines (SalesOrder, not recorded) and keeps it on the lines",
    },
    {
      name: 'commitTax',
      description:
        'Records and commits the invoice (SalesInvoice, commit: true, CreateOrAdjust by document code)',
    },
    {
      name: 'voidTax',
      description: 'Voids the committed document (DocVoided), e.g. when the order is cancelled',
    },
  ],
  inbound: { webhook: false, polling: false, fileDrop: false },
  allowsMultipleInstances: false,
  transformations: {},
};
