import { pollingParameters, type ProviderDefinition } from '../../domain/providers/provider-definition';
import { fnoStatusMessageType } from './poller';

/**
 * A sales order of ours reached Delivered/Invoiced (→ `shipped`: the packing slip is posted) or
 * Canceled (→ `cancelled`) in F&O. Both Delivered and Invoiced give the event id `…-shipped`, so the
 * FO ships once whichever of them the poll sees first. Other statuses are not polled.
 */
export const fnoStatusTransformation = `(
  $type := $lookup({ "Delivered": "shipped", "Invoiced": "shipped", "Canceled": "cancelled" }, SalesOrderStatus);
  {
    "fulfillmentOrderId": CustomersOrderReference,
    "event": { "id": "fno-" & dataAreaId & "-" & SalesOrderNumber & "-" & $type, "type": $type }
  }
)`;

/** Dynamics 365 Finance & Operations (Supply Chain Management): sales orders over OData. */
export const dynamicsFnoDefinition: ProviderDefinition = {
  id: 'dynamics-fno',
  name: 'Dynamics 365 Finance & Operations',
  description:
    'Exports orders and fulfillment orders as F&O sales orders (OData) and polls their status back',
  serviceType: 'erp',
  serviceTypes: ['erp', 'fulfillment'],
  parameters: [
    { name: 'tenantId', description: 'The Entra ID tenant (id or domain)', type: 'string', required: true },
    {
      name: 'environmentUrl',
      description: 'The environment, e.g. https://contoso.operations.dynamics.com',
      type: 'url',
      required: true,
    },
    {
      name: 'dataAreaId',
      description: 'The legal entity (company), e.g. usmf',
      type: 'string',
      required: true,
    },
    {
      name: 'defaultCustomerAccount',
      description: 'The F&O customer account of orders without a customer accountId',
      type: 'string',
      required: false,
    },
    {
      name: 'tokenUrl',
      description:
        'Overrides the token endpoint https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token (sovereign clouds, tests)',
      type: 'url',
      required: false,
    },
    {
      name: 'modifiedDateField',
      description:
        'A date-time field of SalesOrderHeadersV2 updated on change: the status poll reads only changes',
      type: 'string',
      required: false,
    },
    {
      name: 'pageSize',
      description: 'Sales orders per status page',
      type: 'integer',
      required: false,
      default: 1000,
    },
    ...pollingParameters,
  ],
  secrets: [
    { name: 'clientId', description: 'The Entra app (client) id, mapped to an F&O user', required: true },
    { name: 'clientSecret', description: 'The Entra app client secret', required: true },
  ],
  messageTypes: [
    {
      name: fnoStatusMessageType,
      description: 'A sales order exported from a fulfillment order was delivered, invoiced or cancelled',
      intent: 'fulfillmentOrderEvent',
    },
  ],
  actions: [
    {
      name: 'exportSalesOrder',
      description: 'Create the order or fulfillment order as an F&O sales order (once, header and lines)',
    },
  ],
  inbound: { webhook: false, polling: true, fileDrop: false },
  allowsMultipleInstances: true,
  transformations: { [fnoStatusMessageType]: fnoStatusTransformation },
};
