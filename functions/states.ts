import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handler } from '../shared/http/handlers';
import { readStateFramework, replaceStateFramework } from '../shared/app/states/state-framework-config';
import { getCustomStateFrameworkValidator, getStateFrameworkStore } from '../shared/composition';
import type { StateFrameworkConfig } from '../shared/domain/states/state-framework';
import { entityTagOf } from '../shared/app/common/entity-tags';
import { readJsonBody } from '../shared/http/json-body';
import { respond } from '../shared/http/respond';

/** GET /api/v1/states: the state framework in force (out-of-box rows are marked read-only). */
export const getStates = handler(async () => {
  const { config, etag } = await readStateFramework(await getStateFrameworkStore());
  const headers: Record<string, string> = etag ? { etag: entityTagOf(etag) } : {};
  return { headers, jsonBody: view(config) };
});

/**
 * PUT /api/v1/states: replaces the custom rows (`{enabled?, events?, states?, reasons?,
 * transitions?, deleted?}`); `If-Match` guards against overwriting someone else's change.
 */
export async function putStates(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const ifMatch = request.headers.get('if-match')?.replace(/^W\//, '').replace(/"/g, '') || undefined;
    const { config, etag } = await replaceStateFramework(
      await getStateFrameworkStore(),
      getCustomStateFrameworkValidator(),
      body.value,
      ifMatch
    );
    return { headers: { etag: entityTagOf(etag) }, jsonBody: view(config) };
  });
}

function view(config: StateFrameworkConfig): Record<string, unknown> {
  return {
    enabled: config.enabled,
    states: config.states,
    reasons: config.reasons,
    transitions: config.transitions,
    events: config.events,
  };
}

app.http('getStates', { route: 'v1/states', methods: ['GET'], authLevel: 'function', handler: getStates });
app.http('putStates', { route: 'v1/states', methods: ['PUT'], authLevel: 'function', handler: putStates });
