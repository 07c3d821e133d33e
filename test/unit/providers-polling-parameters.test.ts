import { builtInProviders } from '../../shared/providers/built-in-providers';

// The pollers' timer polls an instance only when its `polling` parameter is true, and an instance
// may only carry parameters its definition declares: every polling provider must declare it.
describe('polling providers', () => {
  const polling = builtInProviders.all().filter((plugin) => plugin.definition.inbound.polling);

  it('are the ones with a poller', () => {
    expect(polling.map((p) => p.definition.id).sort()).toEqual(['adobe-commerce', 'orderful', 'shopify']);
    for (const plugin of polling) expect(plugin.poller).toBeDefined();
  });

  it.each(polling.map((p) => [p.definition.id, p.definition] as const))(
    '%s declares the polling switch (off by default) and the interval',
    (_id, definition) => {
      expect(definition.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'polling', type: 'boolean', default: false }),
          expect.objectContaining({ name: 'pollIntervalSeconds', type: 'integer' }),
        ])
      );
    }
  );
});
