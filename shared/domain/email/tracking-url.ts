/** Carriers' public tracking pages, by the carrier name as shipment events give it (case-insensitive). */
const carrierTrackingPages: Readonly<Record<string, (number: string) => string>> = {
  ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  dhl: (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}`,
  'dhl express': (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}`,
  'royal mail': (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
  'canada post': (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${n}`,
};

/**
 * The link a customer follows to track a shipment: the one the shipment event gave, else the
 * carrier's public tracking page for the number; undefined for a carrier this list does not know.
 */
export function trackingUrlOf(shipment: {
  carrier: string;
  trackingNumber: string;
  url?: string;
}): string | undefined {
  if (shipment.url !== undefined && shipment.url !== '') return shipment.url;
  const page = carrierTrackingPages[shipment.carrier.trim().toLowerCase()];
  return page === undefined ? undefined : page(encodeURIComponent(shipment.trackingNumber.trim()));
}
