import { ProviderSettings } from '../../shared/app/providers/provider-settings';
import type { ProviderInstance } from '../../shared/domain/providers/provider-instance';
import type { Transformation } from '../../shared/domain/providers/transformation';
import type { MappingGroup } from '../../shared/domain/providers/value-mappings';
import type { ProviderConfigRepository } from '../../shared/ports/providers';

/** Another worker's writes: the repository changes behind this worker's cache. */
function memoryRepository() {
  const instances = new Map<string, ProviderInstance>();
  const groups = new Map<string, MappingGroup>();
  const transformations = new Map<string, Transformation>();
  const repository: ProviderConfigRepository = {
    getInstance: (id) => Promise.resolve(instances.get(id)),
    listInstances: () => Promise.resolve([...instances.values()]),
    putInstance: (instance) => Promise.resolve(void instances.set(instance.id, instance)),
    getMappingGroup: (id) => Promise.resolve(groups.get(id)),
    listMappingGroups: () => Promise.resolve([...groups.values()]),
    putMappingGroup: (group) => Promise.resolve(void groups.set(group.id, group)),
    getTransformation: (id) => {
      const found = transformations.get(id);
      return Promise.resolve(found && { transformation: found, etag: 'e' });
    },
    listTransformations: () => Promise.resolve([...transformations.values()]),
    putTransformation: (transformation) =>
      Promise.resolve(void transformations.set(transformation.id, transformation)),
  };
  return { repository, instances, groups, transformations };
}

it('finds configuration another worker wrote within the cache second', async () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const { repository, instances, groups, transformations } = memoryRepository();
  const settings = new ProviderSettings(repository, { now: () => now });
  expect(await settings.instance('shop')).toBeUndefined();
  expect(await settings.mappingGroup('skus')).toBeUndefined();
  expect(await settings.transformation('mine')).toBeUndefined();

  const at = now.toISOString();
  instances.set('shop', {
    id: 'shop',
    provider: 'shopify',
    active: true,
    parameters: {},
    secrets: {},
    createdAt: at,
    updatedAt: at,
  });
  groups.set('skus', { id: 'skus', mappings: [], createdAt: at, updatedAt: at });
  transformations.set('mine', {
    id: 'mine',
    messageType: 'order',
    versions: [{ version: 1, expression: '$', createdAt: at }],
    createdAt: at,
    updatedAt: at,
  });
  // The same instant: the lists read above are still cached.
  expect((await settings.instance('shop'))?.id).toBe('shop');
  expect((await settings.mappingGroup('skus'))?.id).toBe('skus');
  expect((await settings.transformation('mine'))?.id).toBe('mine');
});
