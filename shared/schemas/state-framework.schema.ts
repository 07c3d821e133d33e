const name = { type: 'string', minLength: 1, maxLength: 200 };
const row = (required: string[], properties: Record<string, object>) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

/**
 * The body of `PUT /api/v1/states`: the custom part of the state framework. The shapes are checked
 * here; what the rows mean (known states, read-only rows) is checked by `mergeConfig`.
 */
export const customStateFrameworkSchema = {
  $id: 'custom-state-framework',
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    events: {
      type: 'array',
      items: row(['entityType', 'name'], { entityType: name, name, description: { type: 'string' } }),
    },
    states: {
      type: 'array',
      items: row(['entityType', 'name', 'timelinePosition'], {
        entityType: name,
        name,
        timelinePosition: { type: 'number' },
        readOnly: { type: 'boolean' },
      }),
    },
    reasons: {
      type: 'array',
      items: row(['entityType', 'state', 'name'], {
        entityType: name,
        state: name,
        name,
        readOnly: { type: 'boolean' },
      }),
    },
    transitions: {
      type: 'array',
      items: row(['entityType', 'event', 'sourceState', 'targetState'], {
        entityType: name,
        event: name,
        sourceState: name,
        targetState: name,
        targetReason: { type: ['string', 'null'] },
        readOnly: { type: 'boolean' },
      }),
    },
    deleted: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'entityType'],
        properties: {
          kind: { enum: ['event', 'state', 'reason', 'transition'] },
          entityType: name,
          name,
          state: name,
          event: name,
          sourceState: name,
        },
        additionalProperties: false,
      },
    },
  },
};
