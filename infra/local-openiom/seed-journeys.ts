import type { HostLogger } from '@openiom/local-functions-host';
import { DEFAULT_JOURNEYS } from '../../shared/domain/journeys/default-journeys';

/**
 * Publishes the default journeys through the public API when the store has no journey at all, so an
 * order posted to a fresh install moves; a store where a user has journeys of their own is left as it is.
 */
export async function seedDefaultJourneys(
  baseUrl: string,
  functionsKey: string,
  logger: HostLogger
): Promise<string[]> {
  const headers = { 'x-functions-key': functionsKey, 'content-type': 'application/json' };
  const existing = await fetch(`${baseUrl}/api/v1/journeys`, { headers });
  const { items } = (await existing.json()) as { items?: unknown[] };
  if (!existing.ok || items === undefined || items.length > 0) return [];
  const made: string[] = [];
  for (const { id, ...body } of DEFAULT_JOURNEYS) {
    const url = `${baseUrl}/api/v1/journeys/${encodeURIComponent(id)}`;
    const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(body) });
    const published = put.ok ? await fetch(`${url}/publish`, { method: 'POST', headers }) : put;
    if (published.ok) made.push(`journey ${id}`);
    else logger.log('warning', `[journeys] ${id}: ${published.status} ${await published.text()}`);
  }
  return made;
}
