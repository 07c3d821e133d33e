import {
  bundleOf,
  bundleText,
  diffConfiguration,
  missingReferences,
  secretIssues,
  secretsToSet,
  type ConfigItem,
} from '../../../shared/domain/configuration';

const policy: ConfigItem = {
  kind: 'policy',
  id: 'vip',
  published: true,
  content: { name: 'VIP', kind: 'filter', entityType: 'order', criticality: 'critical', rule: { all: [] } },
};
const group: ConfigItem = { kind: 'mapping-group', id: 'shop', content: { mappings: [] } };
const journey: ConfigItem = {
  kind: 'journey',
  id: 'orders',
  published: true,
  content: {
    type: 'order',
    name: 'Orders',
    steps: [
      { name: 'Check', action: 'custom', inputEvents: ['New Order'], filterPolicyId: 'vip' },
      { name: 'Mail', action: 'sendEmail', inputEvents: ['x'], emailTemplateId: 'order-confirmation' },
    ],
  },
};

describe('configuration bundle layout', () => {
  it('sorts items by kind then id and keys at every level, two-space indented with a final newline', () => {
    const text = bundleText(bundleOf([policy, group, journey]));
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text) as { format: string; version: number; items: ConfigItem[] };
    expect(parsed.format).toBe('openiom-config');
    expect(parsed.version).toBe(1);
    expect(parsed.items.map((i) => `${i.kind}/${i.id}`)).toEqual([
      'journey/orders',
      'mapping-group/shop',
      'policy/vip',
    ]);
    expect(text).toContain('\n  "format": "openiom-config",\n');
    // The same items in any order, their keys in any order: the same bytes.
    const shuffled = { ...policy, content: Object.fromEntries(Object.entries(policy.content).reverse()) };
    expect(bundleText(bundleOf([group, shuffled, journey]))).toBe(text);
  });
});

describe('configuration diff', () => {
  it('names added, changed (with the paths that differ), removed and counts the unchanged', () => {
    const changed = {
      ...policy,
      content: { ...policy.content, name: 'VIPs', rule: { all: [{ path: 'x', operator: 'containsData' }] } },
    };
    const template: ConfigItem = { kind: 'email-template', id: 't', content: { subject: 's', text: 't' } };
    const diff = diffConfiguration([policy, group, journey], [changed, journey, template]);
    expect(diff).toEqual({
      added: [{ kind: 'email-template', id: 't' }],
      changed: [{ kind: 'policy', id: 'vip', paths: ['/content/name', '/content/rule/all/0'] }],
      removed: [{ kind: 'mapping-group', id: 'shop' }],
      unchanged: 1,
    });
  });

  it('sees a published flag going away as a change', () => {
    const draft = { ...policy, published: false };
    expect(diffConfiguration([policy], [draft]).changed).toEqual([
      { kind: 'policy', id: 'vip', paths: ['/published'] },
    ]);
  });
});

describe('configuration references', () => {
  it('accepts a bundle that holds everything its items name (built-in templates need not be there)', () => {
    expect(missingReferences([policy, journey])).toEqual([]);
  });

  it('names each missing document at the referring path', () => {
    const instance: ConfigItem = {
      kind: 'provider-instance',
      id: 'shop-1',
      content: {
        provider: 'shopify',
        active: true,
        mappingGroupId: 'gone',
        transformations: { order: 't-1' },
      },
    };
    const strategy: ConfigItem = {
      kind: 'fulfillment-strategy',
      id: 's',
      content: { sourceListId: 'west', isDefault: true, objective: 'distance', constraints: [] },
    };
    expect(missingReferences([journey, instance, strategy])).toEqual([
      {
        path: '/items/0/content/steps/0/filterPolicyId',
        message: 'journey orders references policy vip, which the bundle does not contain',
      },
      {
        path: '/items/1/content/mappingGroupId',
        message: 'provider-instance shop-1 references mapping-group gone, which the bundle does not contain',
      },
      {
        path: '/items/1/content/transformations/order',
        message: 'provider-instance shop-1 references transformation t-1, which the bundle does not contain',
      },
      {
        path: '/items/2/content/sourceListId',
        message: 'fulfillment-strategy s references source-list west, which the bundle does not contain',
      },
    ]);
  });

  it('follows lists to their sources and journeys to instances and user templates', () => {
    const list: ConfigItem = { kind: 'source-list', id: 'l', content: { name: 'L', sourceIds: ['a', 'b'] } };
    const source: ConfigItem = { kind: 'source', id: 'a', content: {} };
    const outbound: ConfigItem = {
      kind: 'journey',
      id: 'j',
      content: {
        steps: [{ providerAction: { instanceId: 'erp', action: 'x' }, emailTemplateId: 'mine' }],
      },
    };
    expect(missingReferences([list, source, outbound]).map((i) => i.path)).toEqual([
      '/items/0/content/sourceIds/1',
      '/items/2/content/steps/0/providerAction/instanceId',
      '/items/2/content/steps/0/emailTemplateId',
    ]);
  });
});

describe('configuration secrets', () => {
  it('refuses an item that carries secrets, wherever they are', () => {
    const instance: ConfigItem = {
      kind: 'provider-instance',
      id: 'shop-1',
      content: { provider: 'shopify', active: true, secrets: { accessToken: 'shpat_x' } },
    };
    expect(secretIssues([group, instance])).toEqual([
      {
        path: '/items/1/content/secrets',
        message: 'a bundle carries no secrets: remove them and set them on the target instance',
      },
    ]);
    expect(secretIssues([group, policy, journey])).toEqual([]);
  });

  it('names the declared secrets an instance has not set, instances by id', () => {
    expect(
      secretsToSet([
        { instanceId: 'b', declared: ['token', 'webhookSecret'], set: ['token'] },
        { instanceId: 'c', declared: ['token'], set: ['token'] },
        { instanceId: 'a', declared: ['key'], set: [] },
      ])
    ).toEqual([
      { instanceId: 'a', secrets: ['key'] },
      { instanceId: 'b', secrets: ['webhookSecret'] },
    ]);
  });
});
