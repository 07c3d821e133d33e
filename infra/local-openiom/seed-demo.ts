import type { HostLogger } from '@openiom/local-functions-host';
import { demoRequests, demoShopId, demoShopRequests, type DemoRequest } from './demo-data';

/**
 * Seeds the demo data through the app's own public API (so it is validated like any client's), and
 * says what it made. Only into an empty store — one without sources — so a restart never puts back
 * stock or settings the user has changed since. The demo shop (a provider instance and its mapping
 * group) only when there is no instance of its id, so it comes to a store seeded before it existed
 * and a restart never overwrites what the user changed. A request that fails is logged and skipped:
 * the host serves either way.
 */
export async function seedDemo(
  baseUrl: string,
  functionsKey: string,
  logger: HostLogger,
  options: { demoShopWebhookSecret?: string } = {}
): Promise<string[]> {
  const headers = { 'x-functions-key': functionsKey, 'content-type': 'application/json' };
  const requests: DemoRequest[] = [];
  try {
    const sources = await fetch(`${baseUrl}/api/v1/sources`, { headers });
    const { items } = (await sources.json()) as { items?: unknown[] };
    if (!sources.ok || items === undefined) throw new Error(`GET /api/v1/sources answered ${sources.status}`);
    if (items.length === 0) requests.push(...demoRequests());
    const shop = await fetch(`${baseUrl}/api/v1/provider-instances/${demoShopId}`, { headers });
    await shop.arrayBuffer();
    if (shop.status === 404) {
      if (!options.demoShopWebhookSecret) {
        logger.log(
          'warning',
          `[demo] ${demoShopId}: no OPENIOM_DEMO_SHOP_WEBHOOK_SECRET, so it takes no webhooks`
        );
      }
      requests.push(...demoShopRequests(options.demoShopWebhookSecret));
    } else if (!shop.ok) {
      throw new Error(`GET /api/v1/provider-instances/${demoShopId} answered ${shop.status}`);
    }
  } catch (err) {
    logger.log('warning', `[demo] not seeded: ${String(err)}`);
    return [];
  }
  const made: string[] = [];
  for (const request of requests) {
    try {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: JSON.stringify(request.body),
      });
      if (response.ok) made.push(request.what);
      else logger.log('warning', `[demo] ${request.what}: ${response.status} ${await response.text()}`);
    } catch (err) {
      logger.log('warning', `[demo] ${request.what}: ${String(err)}`);
    }
  }
  return made;
}
