/**
 * The built-in transformations of the file message types every instance takes (fileMessageTypes).
 * Empty cells and elements are left out rather than passed on as "", so the order intake schema
 * reports a missing value as missing.
 */

/**
 * `order-rows`: `{externalId, rows:[{row, values}]}` with canonical column names. The order's header
 * (currency, customer, ship-to) is read from its first row, where a spreadsheet user writes it; every
 * row is one line. unitPrice is decimal major units text, converted exactly.
 */
export const orderRowsTransformation = `(
  $text := function($v) { $v != null and $trim($string($v)) != '' ? $trim($string($v)) };
  $first := rows[0].values;
  $currency := $text($first.currency);
  {
    "externalId": $text(externalId),
    "currency": $currency,
    "customer": {
      "email": $text($first.email),
      "name": $text($first.customerName)
    },
    "shipTo": {
      "line1": $text($first.shipToLine1),
      "line2": $text($first.shipToLine2),
      "city": $text($first.shipToCity),
      "state": $text($first.shipToState),
      "postalCode": $text($first.shipToPostalCode),
      "country": $text($first.shipToCountry)
    },
    "lines": [rows.(
      $v := values;
      $price := $text($v.unitPrice);
      {
        "lineId": $text($v.lineId),
        "sku": $mapValue('sku', $text($v.sku)),
        "quantity": $number($text($v.quantity)),
        "unitPrice": $price ? $toMinor($price, $currency)
      }
    )]
  }
)`;

/**
 * `x12-850`: one transaction set as the X12 reader gives it (element positions as keys). The PO number
 * is BEG03; the ship-to is the N1 loop whose N101 is ST (its N102 names the customer); a PO1 carries
 * product ids as qualifier/id pairs from PO106/PO107 on, and our sku is the buyer's or vendor's
 * item number in this order of preference: SK (SKU), VP (vendor part), BP (buyer part), VC (vendor
 * catalog); without any of these the first id is taken, for a value mapping to name.
 */
export const x12PurchaseOrderTransformation = `(
  $text := function($v) { $v != null and $trim($string($v)) != '' ? $trim($string($v)) };
  $currency := ($c := $text(segments.CUR[0]."02"); $c ? $c : 'USD');
  $shipTo := N1[N1[0]."01" = 'ST'][0];
  $n3 := $shipTo.N3[0];
  $n4 := $shipTo.N4[0];
  $productId := function($po1) { (
    $pairs := [3..10].(
      $q := $lookup($po1, $formatNumber($ * 2, '00'));
      $id := $lookup($po1, $formatNumber($ * 2 + 1, '00'));
      $q and $id ? { "q": $q, "id": $id }
    );
    $preferred := ['SK', 'VP', 'BP', 'VC'].($q := $; $pairs[q = $q].id);
    $preferred[0] ? $preferred[0] : $pairs[0].id
  ) };
  {
    "externalId": $text(segments.BEG[0]."03"),
    "currency": $currency,
    "customer": { "name": $text($shipTo.N1[0]."02") },
    "shipTo": {
      "line1": $text($n3."01"),
      "line2": $text($n3."02"),
      "city": $text($n4."01"),
      "state": $text($n4."02"),
      "postalCode": $text($n4."03"),
      "country": ($c := $text($n4."04"); $c ? $c : 'US')
    },
    "lines": [PO1.(
      $po1 := PO1[0];
      $price := $text($po1."04");
      {
        "lineId": $text($po1."01"),
        "sku": $mapValue('sku', $productId($po1)),
        "quantity": $number($text($po1."02")),
        "unitPrice": $price ? $toMinor($price, $currency)
      }
    )]
  }
)`;

export const fileTransformations: Readonly<Record<string, string>> = {
  'order-rows': orderRowsTransformation,
  'x12-850': x12PurchaseOrderTransformation,
};
