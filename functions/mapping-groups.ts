import {
  getMappingGroup,
  listMappingGroups,
  putMappingGroup,
} from '../shared/app/providers/provider-instances';
import { providerConfigDeps } from '../shared/app/providers/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { savedAnswer } from '../shared/http/saved-answer';

/** Mapping groups: external values to ours, per type (docs/providers.md). */

route('putMappingGroup', 'PUT', 'v1/mapping-groups/{id}', async (request) => {
  const body = await jsonBody(request);
  const deps = await providerConfigDeps();
  const { group, created } = await putMappingGroup(deps, request.params.id ?? '', body.value);
  return savedAnswer('/api/v1/mapping-groups', group.id, created, group);
});

route('getMappingGroup', 'GET', 'v1/mapping-groups/{id}', async (request) => ({
  jsonBody: await getMappingGroup(await providerConfigDeps(), request.params.id ?? ''),
}));

route('listMappingGroups', 'GET', 'v1/mapping-groups', async () => ({
  jsonBody: { items: await listMappingGroups(await providerConfigDeps()) },
}));
