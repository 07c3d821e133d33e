import { pointProperties, postalAddressProperties, postalAddressSchema } from './address.schema';
/** ISO 4217 codes the runtime knows (Node's ICU list), so an unknown currency is a validation error. */
export const currencyCodes: readonly string[] = Intl.supportedValuesOf('currency');

/** The body of `POST /api/v1/orders` (docs/api.md). Money is integer minor units. */
export function orderIntakeSchema(maxLines: number): object {
  // Keep in step with OrderIntake (shared/domain/orders/order.ts).
  const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
  return {
    $id: `order-intake-${maxLines}`,
    type: 'object',
    additionalProperties: false,
    required: ['externalId', 'currency', 'customer', 'shipTo', 'lines'],
    properties: {
      externalId: text(100),
      channel: text(100),
      currency: { type: 'string', enum: currencyCodes },
      customer: {
        type: 'object',
        additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 320 },
          name: text(200),
          accountId: text(100),
        },
      },
      shipTo: {
        ...postalAddressSchema(),
        properties: { ...postalAddressProperties, ...pointProperties },
      },
      lines: {
        type: 'array',
        minItems: 1,
        maxItems: maxLines,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['sku', 'quantity'],
          properties: {
            lineId: text(50),
            sku: text(100),
            quantity: { type: 'number', exclusiveMinimum: 0 },
            unitPrice: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  };
}
