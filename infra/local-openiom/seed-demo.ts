import type { HostLogger } from '@openiom/local-functions-host';
import { demoRequests } from './demo-data';

/**
 * Seeds the demo data through the app's own public API (so it is validated like any client's), and
 * says what it made. Only into an empty store — one without sources — so a restart never puts back
 * stock or settings the user has changed since. A request that fails is logged and skipped: the
 * host serves either way.
 */
export async function seedDemo(baseUrl: string, functionsKey: string, logger: HostLogger): Promise<string[]> {
  const headers = { 'x-functions-key': functionsKey, 'content-type': 'application/json' };
  try {
    const sources = await fetch(`${baseUrl}/api/v1/sources`, { headers });
    const { items } = (await sources.json()) as { items?: unknown[] };
    if (!sources.ok || items === undefined) throw new Error(`GET /api/v1/sources answered ${sources.status}`);
    if (items.length > 0) return [];
  } catch (err) {
    logger.log('warning', `[demo] not seeded: ${String(err)}`);
    return [];
  }
  const made: string[] = [];
  for (const request of demoRequests()) {
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
