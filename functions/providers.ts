import {
  getProviderInstance,
  listProviderInstances,
  listProviders,
  putProviderInstance,
} from '../shared/app/providers/provider-instances';
import { providerConfigDeps } from '../shared/app/providers/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { savedAnswer } from '../shared/http/saved-answer';

/** Provider definitions and instances (docs/providers.md). */

route('listProviders', 'GET', 'v1/providers', async () => ({
  jsonBody: { items: listProviders(await providerConfigDeps()) },
}));

route('putProviderInstance', 'PUT', 'v1/provider-instances/{instanceId}', async (request) => {
  const body = await jsonBody(request);
  const deps = await providerConfigDeps();
  const { instance, created } = await putProviderInstance(deps, request.params.instanceId ?? '', body.value);
  return savedAnswer('/api/v1/provider-instances', instance.id, created, instance);
});

route('getProviderInstance', 'GET', 'v1/provider-instances/{instanceId}', async (request) => ({
  jsonBody: await getProviderInstance(await providerConfigDeps(), request.params.instanceId ?? ''),
}));

route('listProviderInstances', 'GET', 'v1/provider-instances', async () => ({
  jsonBody: { items: await listProviderInstances(await providerConfigDeps()) },
}));
