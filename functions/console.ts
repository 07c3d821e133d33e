import { app } from '@azure/functions';
import { consoleFile } from '../shared/app/console/console-file';
import { consoleFileDeps } from '../shared/app/console/wiring';
import { consoleResponse } from '../shared/http/console-response';
import { handler } from '../shared/http/handler';

/**
 * GET / and GET /{file}: the operations console (docs/console.md). Registered outside route(): it is a
 * web page, not part of the API, so the OpenAPI description leaves it out. Anonymous: the page holds
 * no data; every call it makes to /api carries the function key (or App Service authentication).
 */
export const consoleHandler = handler(async (request) => {
  const requested = request.params.file;
  const found = await consoleFile(consoleFileDeps(), requested);
  return consoleResponse(found, requested, request.headers.get('if-none-match'));
});

// `{file?}`, not an empty route: the Functions host hands the site root to a function whose route
// has an optional segment there, while an empty route leaves `/` to the host's own home page.
app.http('console', { route: '{file?}', methods: ['GET'], authLevel: 'anonymous', handler: consoleHandler });
