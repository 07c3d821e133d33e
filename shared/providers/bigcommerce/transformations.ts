/**
 * The order as `enrich` assembles it: `{order, products, shippingAddresses, hook}` (V2 API texts).
 * Every product is a line, bundled pick-list products too: they are separate items to ship, priced
 * by BigCommerce (often 0). The state stays BigCommerce's full name ("Texas"): it sends no code.
 * An order without shipping addresses (digital goods) ships to its billing address. Status 5 is
 * Cancelled.
 */
export const bigCommerceOrderTransformation = `(
  $text := function($v) { $v != null and $trim($string($v)) != '' ? $trim($string($v)) };
  $currency := order.currency_code;
  $billing := order.billing_address;
  $ship := $exists(shippingAddresses[0]) ? shippingAddresses[0] : $billing;
  {
    "externalId": $string(order.id),
    "currency": $currency,
    "customer": {
      "email": $text($billing.email),
      "name": $text($join([$text($billing.first_name), $text($billing.last_name)], ' ')),
      "accountId": order.customer_id != 0 ? $text(order.customer_id)
    },
    "shipTo": {
      "line1": $text($ship.street_1),
      "line2": $text($ship.street_2),
      "city": $text($ship.city),
      "state": $text($ship.state),
      "postalCode": $text($ship.zip),
      "country": $text($ship.country_iso2)
    },
    "lines": [products.{
      "lineId": $string(id),
      "sku": $mapValue('sku', sku),
      "quantity": quantity,
      "unitPrice": $toMinor(price_ex_tax, $currency)
    }],
    "cancelled": order.status_id = 5 ? true
  }
)`;
