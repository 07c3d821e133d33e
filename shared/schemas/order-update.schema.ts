import { orderIntakeSchema } from './order-intake.schema';

const intake = orderIntakeSchema(1) as {
  properties: { customer: object; shipTo: object; lines: { items: { properties: Record<string, object> } } };
};
const line = intake.properties.lines.items.properties;

/** `PATCH /api/v1/orders/{orderId}`: fix an order's data (a customer, an address, a line's SKU). */
export const orderUpdateSchema = {
  $id: 'order-update',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    customer: intake.properties.customer,
    shipTo: intake.properties.shipTo,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineId'],
        minProperties: 2,
        properties: {
          lineId: line.lineId!,
          sku: line.sku!,
          quantity: line.quantity!,
          unitPrice: line.unitPrice!,
        },
      },
    },
  },
} as const;

export interface OrderUpdate {
  customer?: { email?: string; name?: string; accountId?: string };
  shipTo?: { postalCode: string; country: string; [field: string]: unknown };
  lines?: { lineId: string; sku?: string; quantity?: number; unitPrice?: number }[];
}
