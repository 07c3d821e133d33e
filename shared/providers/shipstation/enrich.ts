import { InboundMessageError } from '../../domain/providers/inbound-message';
import type { ProviderConnection, ProviderHttp } from '../../ports/provider-plugins';
import { shipStationBaseUrl, shipStationCall } from './client';

/** Pages of one webhook's shipments read at most (ShipStation's default page is 100 shipments). */
const maxPages = 20;

/**
 * SHIP_NOTIFY carries only `resource_url`: the transformation's input is the shipments it lists,
 * every page of them, with the hook beside them. The API credentials go only to ShipStation: the URL
 * must be on the instance's API host or an https `*.shipstation.com` host (webhooks name numbered
 * hosts such as ssapi6.shipstation.com).
 */
export async function enrichShipStationShipments(
  connection: ProviderConnection,
  _messageType: string,
  body: unknown,
  http: ProviderHttp
): Promise<unknown> {
  const hook = (body ?? {}) as { resource_url?: unknown };
  const resourceUrl = trustedResourceUrl(connection, hook.resource_url);
  const shipments: unknown[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const url = new URL(resourceUrl);
    if (page > 1) url.searchParams.set('page', String(page));
    const answer = (await shipStationCall(connection, http, { url: url.toString() })) as {
      shipments?: unknown[];
      pages?: unknown;
    } | null;
    if (!Array.isArray(answer?.shipments)) {
      throw new InboundMessageError(
        'enrichment',
        'ShipStation answered the resource_url without a shipments list.',
        url.pathname
      );
    }
    shipments.push(...answer.shipments);
    if (!(Number(answer.pages) > page)) break;
  }
  return { shipments, hook: body };
}

function trustedResourceUrl(connection: ProviderConnection, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const api = new URL(shipStationBaseUrl(connection));
  const trusted =
    url !== undefined &&
    url.username === '' &&
    url.password === '' &&
    (url.origin === api.origin ||
      (url.protocol === 'https:' && /(^|\.)shipstation\.com$/i.test(url.hostname)));
  if (!trusted) {
    throw new InboundMessageError(
      'enrichment',
      'The webhook resource_url is not a ShipStation API URL: the credentials go nowhere else.',
      `Expected ${api.origin} or an https *.shipstation.com host.`
    );
  }
  return url!;
}
