import { instanceFromInput } from '../../shared/domain/providers/provider-instance';
import { builtInProviders } from '../../shared/providers/built-in-providers';

it('every built-in provider that polls takes the polling switch and interval as parameters', () => {
  const polling = builtInProviders.all().filter((plugin) => plugin.poller !== undefined);
  expect(polling.map((plugin) => plugin.definition.id).sort()).toEqual([
    'adobe-commerce',
    'dynamics-fno',
    'fedex',
    'orderful',
    'shopify',
  ]);
  for (const { definition } of polling) {
    expect(definition.inbound.polling).toBe(true);
    const names = definition.parameters.map((p) => p.name);
    expect(names.filter((name) => name === 'polling')).toHaveLength(1);
    expect(names).toContain('pollIntervalSeconds');
    const required = Object.fromEntries(
      definition.parameters
        .filter((p) => p.required)
        .map((p) => [p.name, p.type === 'url' ? 'https://x.example' : 'x'])
    );
    const { issues } = instanceFromInput(
      'i',
      {
        provider: definition.id,
        active: true,
        parameters: { ...required, polling: true, pollIntervalSeconds: 1 },
      },
      definition,
      undefined,
      new Date()
    );
    expect(issues).toEqual([]);
  }
});

it('every action a plug-in runs is declared by its definition, whose first service type is its serviceType', () => {
  for (const { definition, actions } of builtInProviders.all()) {
    const declared = definition.actions.map((action) => action.name);
    for (const name of Object.keys(actions ?? {})) expect(declared).toContain(name);
    expect(definition.serviceTypes[0]).toBe(definition.serviceType);
  }
  const runs = (id: string) => Object.keys(builtInProviders.get(id)?.actions ?? {}).sort();
  expect(runs('avalara')).toEqual(['calculateTax', 'commitTax', 'voidTax']);
  expect(runs('shopify')).toEqual(['cancelFulfillment', 'createFulfillment']);
  expect(runs('bigcommerce')).toEqual(['createShipment']);
  // A tax service takes no order files.
  expect(builtInProviders.get('avalara')?.definition.messageTypes).toEqual([]);
});
