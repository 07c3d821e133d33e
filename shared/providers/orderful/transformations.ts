/**
 * An Orderful 850 transaction: the segments of `message.transactionSets[0]` under Orderful's camelCase
 * names. The same rules as the X12 file transformation: PO number from BEG, currency from CUR (USD
 * when absent), ship-to from the N1 loop of entity ST (its name is the customer's), lines from the
 * PO1 loops with the sku chosen among the qualifier/id pairs by preference SK, VP, BP, VC (the first
 * id otherwise, for a value mapping to name).
 */
export const orderfulPurchaseOrderTransformation = `(
  $text := function($v) { $v != null and $trim($string($v)) != '' ? $trim($string($v)) };
  $set := message.transactionSets[0];
  $currency := ($c := $text($set.currency[0].currencyCode); $c ? $c : 'USD');
  $shipTo := $set.N1_loop[partyIdentification[0].entityIdentifierCode = 'ST'][0];
  $location := $shipTo.partyLocation[0];
  $geo := $shipTo.geographicLocation[0];
  $productId := function($item) { (
    $pairs := [0..10].(
      $suffix := $ = 0 ? '' : $string($);
      $q := $lookup($item, 'productServiceIDQualifier' & $suffix);
      $id := $lookup($item, 'productServiceID' & $suffix);
      $q and $id ? { "q": $q, "id": $id }
    );
    $preferred := ['SK', 'VP', 'BP', 'VC'].($q := $; $pairs[q = $q].id);
    $preferred[0] ? $preferred[0] : $pairs[0].id
  ) };
  {
    "externalId": $text($set.beginningSegmentForPurchaseOrder[0].purchaseOrderNumber),
    "currency": $currency,
    "customer": { "name": $text($shipTo.partyIdentification[0].name) },
    "shipTo": {
      "line1": $text($location.addressInformation),
      "line2": $text($location.addressInformation1),
      "city": $text($geo.cityName),
      "state": $text($geo.stateOrProvinceCode),
      "postalCode": $text($geo.postalCode),
      "country": ($c := $text($geo.countryCode); $c ? $c : 'US')
    },
    "lines": [$set.PO1_loop.(
      $item := baselineItemData[0];
      $price := $text($item.unitPrice);
      {
        "lineId": $text($item.assignedIdentification),
        "sku": $mapValue('sku', $productId($item)),
        "quantity": $number($text($item.quantity)),
        "unitPrice": $price ? $toMinor($price, $currency)
      }
    )]
  }
)`;
