/**
 * The built-in transformation of a Shopify order (a webhook body, which is the order without the
 * REST envelope, or one element of `orders[]` from `GET orders.json`) into our order intake. One text
 * serves every Shopify message type: they all carry the same order object.
 *
 * It reads the fields of today's REST order and of the older field set (no `*_set` money objects,
 * coordinates as text), so a store on an old API version keeps working:
 * - Absent, null and blank values are left out: the intake schema refuses null and empty text.
 * - Ids are `$string`ed: ids beyond 2^53 arrive as text from lossless parsing, smaller ones as numbers.
 * - `price` is in the shop currency (`currency`); `price_set.shop_money.amount` stands in for it when
 *   a payload has only the money object.
 * - A line's SKU falls back to its variant id: Shopify allows variants without a SKU, and the variant
 *   id is what a mapping can name then.
 * - Coordinates are taken when both are numbers or numeric text (older payloads send text).
 * - `cancelled: true` when `cancelled_at` is set: the pipeline strips it and cancels the order.
 */
export const shopifyOrderTransformation = `(
  $text := function($v) {
    ($type($v) = 'string' and $trim($v) != '') ? $trim($v) : ($type($v) = 'number' ? $string($v))
  };
  $coordinate := function($v) {
    $type($v) = 'number'
      ? $v
      : ($type($v) = 'string' and $contains($v, /^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$/) ? $number($trim($v)))
  };
  $id := function($v) { $type($v) in ['number', 'string'] ? $string($v) };
  $currency := currency ? currency : price_set.shop_money.currency_code;
  $address := shipping_address ? shipping_address : billing_address;
  $fullName := $join([$text(customer.first_name), $text(customer.last_name)], ' ');
  $addressName := $text($address.name)
    ? $text($address.name)
    : $join([$text($address.first_name), $text($address.last_name)], ' ');
  $lat := $coordinate($address.latitude);
  $lon := $coordinate($address.longitude);
  $email := $text(email) ? $text(email) : ($text(contact_email) ? $text(contact_email) : $text(customer.email));
  {
    'externalId': $string(id),
    'currency': $currency,
    'customer': {
      'email': $email,
      'name': $fullName != '' ? $fullName : ($addressName != '' ? $addressName),
      'accountId': $id(customer.id) ? $mapValue('account', $id(customer.id))
    },
    'shipTo': {
      'line1': $text($address.address1),
      'line2': $text($address.address2),
      'city': $text($address.city),
      'state': $text($address.province_code) ? $text($address.province_code) : $text($address.province),
      'postalCode': $text($address.zip),
      'country': $text($address.country_code) ? $mapValue('country', $text($address.country_code)),
      'lat': $exists($lat) and $exists($lon) ? $lat,
      'lon': $exists($lat) and $exists($lon) ? $lon
    },
    'lines': [
      line_items[$type(quantity) = 'number' and quantity > 0].(
        $sku := $text(sku) ? $text(sku) : $id(variant_id);
        $price := $exists(price) and price != null ? price : price_set.shop_money.amount;
        {
          'lineId': $id(id),
          'sku': $sku ? $mapValue('sku', $sku),
          'quantity': quantity,
          'unitPrice': $exists($price) and $price != null ? $toMinor($price, $currency)
        }
      )
    ],
    'cancelled': $type(cancelled_at) = 'string' and $trim(cancelled_at) != '' ? true
  }
)`;

/**
 * The built-in transformation of a Shopify refund (`refunds/create` webhook: the Refund resource)
 * into a return of ours (ProviderReturnOutput): one return per refund id, already refunded by the
 * store. Each refund line item names the order's line item (our order line id, as the order
 * transformation keeps it) and its units; `restock_type` `return` (and the older `legacy_restock`)
 * puts them back on hand, `no_restock` writes them off, `cancel` lines are left out (units cancelled
 * before they shipped are not a return).
 */
export const shopifyRefundTransformation = `(
  $id := function($v) { $type($v) in ['number', 'string'] ? $string($v) };
  $note := $type(note) = 'string' and $trim(note) != '' ? $trim(note);
  {
    'orderExternalId': $id(order_id),
    'externalId': $id(id),
    'refunded': true,
    'lines': [
      refund_line_items[restock_type != 'cancel' and $type(quantity) = 'number' and quantity > 0].{
        'lineId': $id(line_item_id),
        'quantity': quantity,
        'disposition': restock_type in ['return', 'legacy_restock'] ? 'restock' : 'writeOff',
        'reason': $note
      }
    ]
  }
)`;
