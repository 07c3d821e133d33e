import type { HostLogger } from '../host/logger';
import { demoRequests } from './demo-data';

/**
 * Seeds the demo data through the app's own public API (so it is validated like any client's), and
 * says what it made. A request that fails is logged and skipped: the host serves either way.
 */
export async function seedDemo(baseUrl: string, functionsKey: string, logger: HostLogger): Promise<string[]> {
  const made: string[] = [];
  for (const request of demoRequests()) {
    try {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers: { 'x-functions-key': functionsKey, 'content-type': 'application/json' },
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
