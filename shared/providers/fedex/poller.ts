import { stringify } from 'lossless-json';
import type {
  OpenShipment,
  OrderPoller,
  PolledMessage,
  PolledPage,
  PollPosition,
  ProviderConnection,
  ProviderHttp,
} from '../../ports/provider-plugins';
import type { ClientCredentialsTokens } from '../common/oauth-token';
import { scalarText } from '../common/provider-refusal';
import { fedExCall } from './client';
import { fedExTrackBatchSize } from './definition';

type Json = Record<string, unknown>;

/**
 * FedEx tracking by polling (FedEx pushes tracking only through paid visibility products): each run
 * asks `POST /track/v1/trackingnumbers` about the open FedEx shipments the app passes, 30 tracking
 * numbers a request, in tracking-number order; the cursor is the last number asked about, so a run
 * resumed after a crash goes on where it stopped. A shipment whose latest status is delivered (`DL`)
 * is a `track` message; the others, and numbers FedEx answers with an error, give none.
 */
export function createFedExTrackingPoller(tokens: ClientCredentialsTokens): OrderPoller {
  return {
    tracksCarriers: ['fedex'],
    async nextPage(
      connection: ProviderConnection,
      position: PollPosition,
      http: ProviderHttp,
      now: Date,
      openShipments: readonly OpenShipment[] = []
    ): Promise<PolledPage> {
      const byNumber = new Map<string, OpenShipment>();
      for (const shipment of openShipments) {
        if (shipment.carrier.toLowerCase() === 'fedex') byNumber.set(shipment.trackingNumber, shipment);
      }
      const numbers = [...byNumber.keys()]
        .sort()
        .filter((number) => position.cursor === undefined || number > position.cursor);
      const batch = numbers.slice(0, fedExTrackBatchSize);
      if (batch.length === 0) return { messages: [], position: {} };
      const answer = (await fedExCall(tokens, connection, http, now, {
        path: '/track/v1/trackingnumbers',
        body: {
          includeDetailedScans: true,
          trackingInfo: batch.map((trackingNumber) => ({ trackingNumberInfo: { trackingNumber } })),
        },
      })) as { output?: { completeTrackResults?: Json[] } };
      const messages: PolledMessage[] = [];
      for (const complete of answer.output?.completeTrackResults ?? []) {
        for (const result of (complete.trackResults as Json[] | undefined) ?? []) {
          const info = result.trackingNumberInfo as Json | undefined;
          const trackingNumber = scalarText(info?.trackingNumber, scalarText(complete.trackingNumber));
          const shipment = byNumber.get(trackingNumber);
          if (shipment === undefined || result.error !== undefined || !isDelivered(result)) continue;
          messages.push({
            messageType: 'track',
            messageId: `${trackingNumber}@delivered`,
            text:
              stringify({
                fulfillmentOrderId: shipment.fulfillmentOrderId,
                trackingNumber,
                trackResult: result,
              }) ?? '',
          });
        }
      }
      const last = batch[batch.length - 1]!;
      return {
        messages,
        position: numbers.length > batch.length ? { cursor: last } : {},
      };
    },
  };
}

/**
 * Delivered: the latest status's code (or derived code) is `DL`, or, without a latest status, the
 * newest scan event's. FedEx's deeper field names are taken from its Track API samples.
 */
export function isDelivered(result: Json): boolean {
  const latest = result.latestStatusDetail as Json | undefined;
  if (latest !== undefined) return latest.code === 'DL' || latest.derivedCode === 'DL';
  const scans = (result.scanEvents as Json[] | undefined) ?? [];
  // Scan dates carry the scan's local offset: compared as instants.
  const instant = (scan: Json) => Date.parse(scalarText(scan.date)) || 0;
  const newest = [...scans].sort((a, b) => instant(b) - instant(a))[0];
  return newest?.eventType === 'DL' || newest?.derivedStatusCode === 'DL';
}
