import { api } from './api.js';
import { badge, h, labelled, pretty, render, section, table, when } from './dom.js';
import { showError } from './notices.js';
import type { PageRoute } from './router.js';
import type { MappingGroup, Page, ProviderDefinition, ProviderInstance } from './types.js';

/**
 * `#/providers`: the built-in providers, the instances configured (which secrets are set, never
 * their values), the mapping groups, and a transformation preview on a pasted sample.
 */
export const providersPage: PageRoute = {
  path: '/providers',
  title: 'Providers',
  async render({ body, signal }) {
    const [definitions, instances, groups] = await Promise.all([
      api.get<Page<ProviderDefinition>>('/api/v1/providers', signal),
      api.get<Page<ProviderInstance>>('/api/v1/provider-instances', signal),
      api.get<Page<MappingGroup>>('/api/v1/mapping-groups', signal),
    ]);
    render(
      body,
      section('instances', 'Instances', instancesTable(instances.items)),
      section('preview', 'Transformation preview', previewForm(definitions.items, groups.items)),
      section('mapping-groups', 'Mapping groups', mappingGroups(groups.items)),
      section('definitions', 'Providers', definitionsTable(definitions.items))
    );
  },
};

function instancesTable(instances: readonly ProviderInstance[]): HTMLElement {
  return table(
    'Provider instances',
    ['Instance', 'Provider', 'Active', 'Mapping group', 'Own transformations', 'Secrets', 'Updated'],
    instances.map((instance) => [
      [instance.id, instance.name ? h('div', { class: 'muted' }, instance.name) : ''],
      instance.provider,
      badge(instance.active ? 'active' : 'inactive'),
      instance.mappingGroupId ?? '',
      Object.entries(instance.transformations ?? {})
        .map(([type, id]) => `${type}: ${id}`)
        .join(', '),
      h(
        'ul',
        { class: 'plain' },
        Object.entries(instance.secrets).map(([name, secret]) =>
          h('li', { 'data-secret': name }, `${name}: ${secret.set ? 'set' : 'not set'}`)
        )
      ),
      when(instance.updatedAt),
    ])
  );
}

function definitionsTable(definitions: readonly ProviderDefinition[]): HTMLElement {
  return table(
    'Built-in providers',
    ['Provider', 'Services', 'Inbound', 'Message types', 'Secrets'],
    definitions.map((definition) => [
      [h('strong', null, definition.name), h('div', { class: 'muted' }, definition.id)],
      definition.serviceTypes.join(', '),
      Object.entries(definition.inbound)
        .filter(([, yes]) => yes)
        .map(([how]) => how)
        .join(', '),
      definition.messageTypes.map((type) => type.name).join(', '),
      definition.secrets.map((secret) => secret.name).join(', '),
    ])
  );
}

function mappingGroups(groups: readonly MappingGroup[]): HTMLElement {
  if (groups.length === 0) return h('p', null, 'No mapping groups.');
  return h(
    'div',
    null,
    groups.map((group) =>
      h(
        'details',
        null,
        h('summary', null, `${group.name ?? group.id} (${group.id}): ${group.mappings.length} mappings`),
        table(
          `Mappings of ${group.id}`,
          ['Type', 'External value', 'Ours'],
          group.mappings.map((mapping) => [mapping.type, mapping.external, mapping.internal])
        )
      )
    )
  );
}

/**
 * Runs a provider's built-in transformation (or an expression typed here) on a sample, with a
 * mapping group, and shows the order it makes and what is wrong with it. Changes nothing.
 */
function previewForm(
  definitions: readonly ProviderDefinition[],
  groups: readonly MappingGroup[]
): HTMLElement {
  const option = (value: string, text: string) => h('option', { value }, text);
  const provider = h(
    'select',
    { id: 'preview-provider', name: 'provider' },
    definitions.map((definition) => option(definition.id, definition.name))
  );
  const messageType = h('select', { id: 'preview-message-type', name: 'messageType' });
  const fillMessageTypes = () => {
    const definition = definitions.find((candidate) => candidate.id === provider.value);
    render(
      messageType,
      (definition?.messageTypes ?? []).map((type) => option(type.name, `${type.name}: ${type.description}`))
    );
  };
  provider.addEventListener('change', fillMessageTypes);
  fillMessageTypes();
  const group = h(
    'select',
    { id: 'preview-mapping-group', name: 'mappingGroupId' },
    option('', 'none'),
    groups.map((candidate) => option(candidate.id, candidate.name ?? candidate.id))
  );
  const sample = h('textarea', {
    id: 'preview-sample',
    name: 'sample',
    rows: 10,
    required: true,
    spellcheck: 'false',
  });
  const expression = h('textarea', {
    id: 'preview-expression',
    name: 'transformation',
    rows: 4,
    spellcheck: 'false',
  });
  const result = h('div', { id: 'preview-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'preview', 'aria-label': 'Transformation preview' },
    h(
      'div',
      { class: 'filters' },
      labelled('Provider', provider),
      labelled('Message type', messageType),
      labelled('Mapping group', group)
    ),
    labelled('Sample message (JSON, as the provider sends it)', sample),
    labelled('Own transformation (JSONata; empty: the provider’s built-in one)', expression),
    h('button', { type: 'submit' }, 'Preview'),
    result
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api
      .post<{ output: unknown; errors: { path: string; message: string }[] }>(
        '/api/v1/transformations/preview',
        {
          provider: provider.value,
          messageType: messageType.value,
          // Sent as text: the API parses it as a provider's JSON is, keeping ids beyond 2^53.
          sample: sample.value,
          ...(group.value ? { mappingGroupId: group.value } : {}),
          ...(expression.value.trim() ? { transformation: expression.value } : {}),
        }
      )
      .then((answer) =>
        render(
          result,
          h('h3', null, 'Output'),
          h('pre', { 'aria-label': 'Preview output' }, pretty(answer.output)),
          h('h3', null, answer.errors.length > 0 ? `Problems (${answer.errors.length})` : 'No problems'),
          answer.errors.length > 0
            ? h(
                'ul',
                { class: 'problem-paths' },
                answer.errors.map((issue) =>
                  h('li', null, h('code', null, issue.path || '/'), ` ${issue.message}`)
                )
              )
            : h('p', null, 'The output is a valid order and every SKU is known.')
        )
      )
      .catch((err: unknown) => {
        render(result);
        showError(err);
      });
  });
  return form;
}
