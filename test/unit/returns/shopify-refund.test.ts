import { parseJsonLossless } from '../../../shared/domain/providers/parse-json-lossless';
import { runTransformation } from '../../../shared/domain/providers/run-transformation';
import { shopifyDefinition } from '../../../shared/providers/shopify/definition';
import { providerReturnOutputSchema, type ProviderReturnOutput } from '../../../shared/schemas/return.schema';
import { compileValidator } from '../../../shared/schemas/validator';

// A Refund resource as the refunds/create webhook sends it (fields as Shopify's REST reference shows
// them), with one line of each restock type and an order id beyond 2^53.
const refundText = `{
  "id": 509562969,
  "order_id": 45078946900000000001,
  "note": "it broke during shipping",
  "restock": true,
  "refund_line_items": [
    {"id": 1, "line_item_id": 466157049, "location_id": 487838322, "quantity": 1, "restock_type": "return"},
    {"id": 2, "line_item_id": 518995019, "location_id": null, "quantity": 2, "restock_type": "no_restock"},
    {"id": 3, "line_item_id": 703073504, "location_id": null, "quantity": 1, "restock_type": "cancel"},
    {"id": 4, "line_item_id": 703073505, "location_id": 487838322, "quantity": 1, "restock_type": "legacy_restock"}
  ],
  "transactions": [],
  "order_adjustments": []
}`;

const validate = compileValidator<ProviderReturnOutput>(providerReturnOutputSchema, 'provider return');

describe('the Shopify refunds/create transformation', () => {
  it('is a return message type', () => {
    expect(shopifyDefinition.messageTypes.find((t) => t.name === 'refunds/create')?.intent).toBe('return');
  });

  it('maps refund line items to return lines by restock type, ids exactly as sent', async () => {
    const { output } = await runTransformation(
      shopifyDefinition.transformations['refunds/create']!,
      parseJsonLossless(refundText),
      { instanceId: 'shop', parameters: {}, mappings: [], now: new Date('2026-12-02T00:00:00Z') }
    );
    expect(validate(output)).toEqual({
      orderExternalId: '45078946900000000001',
      externalId: '509562969',
      refunded: true,
      lines: [
        { lineId: '466157049', quantity: 1, disposition: 'restock', reason: 'it broke during shipping' },
        { lineId: '518995019', quantity: 2, disposition: 'writeOff', reason: 'it broke during shipping' },
        { lineId: '703073505', quantity: 1, disposition: 'restock', reason: 'it broke during shipping' },
      ],
    });
  });
});
