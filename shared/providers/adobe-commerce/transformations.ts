/**
 * One element of `GET /rest/{store}/V1/orders` → `items[]`.
 *
 * externalId is entity_id, the order's id in the API (what every other call names it by);
 * increment_id is only the number shown to people.
 *
 * Magento lists composite products twice. A configurable product's parent item carries the price
 * and its one child the simple product (price 0): the parent is the line, with the child's sku. A
 * bundle's parent has a made-up sku joined from its options while each child is a real product with
 * its own price (the children add up to the parent): the children are the lines and the parent is
 * left out. So each unit ordered is one line, and the lines add up to the subtotal.
 */
export const adobeCommerceOrderTransformation = `(
  $text := function($v) { $v != null and $trim($string($v)) != '' ? $trim($string($v)) };
  $currency := order_currency_code;
  $items := items;
  $address := extension_attributes.shipping_assignments[0].shipping.address;
  $hasParent := function($item) { $exists($item.parent_item_id) and $item.parent_item_id != null };
  $typeOf := function($id) { $items[item_id = $id][0].product_type };
  {
    "externalId": $string(entity_id),
    "currency": $currency,
    "customer": {
      "email": $text(customer_email),
      "name": $text($join([$text(customer_firstname), $text(customer_lastname)], ' '))
    },
    "shipTo": {
      "line1": $text($address.street[0]),
      "line2": $text($address.street[1]),
      "city": $text($address.city),
      "state": $text($address.region_code),
      "postalCode": $text($address.postcode),
      "country": $text($address.country_id)
    },
    "lines": [$items[
      $hasParent($) ? $typeOf(parent_item_id) = 'bundle' : product_type != 'bundle'
    ].(
      $item := $;
      $child := $items[$hasParent($) and parent_item_id = $item.item_id][0];
      {
        "lineId": $string(item_id),
        "sku": $mapValue('sku', product_type = 'configurable' and $exists($child.sku) ? $child.sku : sku),
        "quantity": qty_ordered,
        "unitPrice": $toMinor(price, $currency)
      }
    )],
    "cancelled": state = 'canceled' ? true
  }
)`;
