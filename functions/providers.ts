import {
  getMappingGroup,
  getProviderInstance,
  listMappingGroups,
  listProviderInstances,
  listProviders,
  putMappingGroup,
  putProviderInstance,
} from '../shared/app/providers/provider-instances';
import { previewTransformation } from '../shared/app/providers/preview-transformation';
import {
  getTransformation,
  listTransformations,
  putTransformation,
} from '../shared/app/providers/transformations';
import { previewDeps, providerConfigDeps, transformationDeps } from '../shared/app/providers/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** Provider definitions, instances, mapping groups and transformations (docs/providers.md). */

route('listProviders', 'GET', 'v1/providers', async () => ({
  jsonBody: { items: listProviders(await providerConfigDeps()) },
}));

/** A created resource answers 201 with its location; a replaced one 200. */
const saved = (path: string, id: string, created: boolean, body: unknown) => ({
  status: created ? 201 : 200,
  headers: { location: `/api/v1/${path}/${encodeURIComponent(id)}` },
  jsonBody: body,
});

route('putProviderInstance', 'PUT', 'v1/provider-instances/{instanceId}', async (request) => {
  const body = await jsonBody(request);
  const { instance, created } = await putProviderInstance(
    await providerConfigDeps(),
    request.params.instanceId ?? '',
    body.value
  );
  return saved('provider-instances', instance.id, created, instance);
});

route('getProviderInstance', 'GET', 'v1/provider-instances/{instanceId}', async (request) => ({
  jsonBody: await getProviderInstance(await providerConfigDeps(), request.params.instanceId ?? ''),
}));

route('listProviderInstances', 'GET', 'v1/provider-instances', async () => ({
  jsonBody: { items: await listProviderInstances(await providerConfigDeps()) },
}));

route('putMappingGroup', 'PUT', 'v1/mapping-groups/{id}', async (request) => {
  const body = await jsonBody(request);
  const { group, created } = await putMappingGroup(
    await providerConfigDeps(),
    request.params.id ?? '',
    body.value
  );
  return saved('mapping-groups', group.id, created, group);
});

route('getMappingGroup', 'GET', 'v1/mapping-groups/{id}', async (request) => ({
  jsonBody: await getMappingGroup(await providerConfigDeps(), request.params.id ?? ''),
}));

route('listMappingGroups', 'GET', 'v1/mapping-groups', async () => ({
  jsonBody: { items: await listMappingGroups(await providerConfigDeps()) },
}));

route('previewTransformation', 'POST', 'v1/transformations/preview', async (request) => {
  const body = await jsonBody(request);
  return { jsonBody: await previewTransformation(await previewDeps(), body.value) };
});

route('putTransformation', 'PUT', 'v1/transformations/{id}', async (request) => {
  const body = await jsonBody(request);
  const { transformation, created } = await putTransformation(
    await transformationDeps(),
    request.params.id ?? '',
    body.value
  );
  return saved('transformations', transformation.id, created, transformation);
});

route('getTransformation', 'GET', 'v1/transformations/{id}', async (request) => ({
  jsonBody: await getTransformation(await transformationDeps(), request.params.id ?? ''),
}));

route('listTransformations', 'GET', 'v1/transformations', async () => ({
  jsonBody: { items: await listTransformations(await transformationDeps()) },
}));
