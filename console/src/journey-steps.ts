import { h } from './dom.js';
import type { JourneyDefinition, JourneyNodeWiring, JourneyStatus, TimelineEntry } from './types.js';

const statusWords: Record<JourneyStatus['status'], string> = {
  running: 'running',
  waiting: 'waiting',
  paused: 'paused',
  failed: 'failed',
  completed: 'completed',
  cancelled: 'cancelled',
};

/**
 * The journey's steps in their order, each marked done (the timeline has its result on this entity),
 * current (the instance's step, with its status) or to come. A screen reader hears the same words
 * the colours say.
 */
export function journeySteps(
  definition: JourneyDefinition,
  status: JourneyStatus,
  timeline: readonly TimelineEntry[],
  entityId: string
): HTMLElement {
  const done = new Set(
    timeline
      .filter((entry) => entry.kind === 'step' && entry.entityId === entityId)
      .map((entry) => entry.name.split(': ')[0])
  );
  const finished = status.status === 'completed';
  // An exit writes no step result: a completed journey with one exit ended there.
  const exits = definition.steps.filter((node) => node.kind === 'exit');
  if (finished && exits.length === 1) done.add(exits[0]!.name);
  return h(
    'ol',
    { class: 'journey', 'aria-label': `Steps of journey ${definition.name}, version ${definition.version}` },
    definition.steps.map((node) => {
      const current = node.name === status.step && !finished;
      const classes = ['step', current ? `current ${status.status}` : done.has(node.name) ? 'done' : 'todo'];
      const said = current
        ? `current step, ${statusWords[status.status]}`
        : done.has(node.name)
          ? 'done'
          : '';
      return h(
        'li',
        { class: classes.join(' '), 'aria-current': current ? 'step' : null, 'data-step': node.name },
        h('span', { class: 'name' }, node.name),
        h(
          'span',
          { class: 'kind' },
          node.kind === 'step'
            ? `${node.action ?? 'step'}${node.wait ? `, waits for ${node.wait.event}` : ''}`
            : node.kind,
          said ? ` — ${said}` : ''
        )
      );
    })
  );
}

/**
 * A journey definition's nodes in their order, each with what it does, the events it runs on and
 * those it raises; `problems` (by node index, from a refused publish) are shown on their node.
 */
export function journeyDefinitionSteps(
  definition: JourneyDefinition,
  problems: ReadonlyMap<number, readonly string[]> = new Map()
): HTMLElement {
  return h(
    'ol',
    {
      class: 'journey journey-definition',
      'aria-label': `Steps of journey ${definition.name}, version ${definition.version}`,
    },
    (definition.steps as JourneyNodeWiring[]).map((node, index) => {
      const wrong = problems.get(index) ?? [];
      const raises = [
        node.successEvent,
        node.failureEvent,
        node.trueEvent && `${node.trueEvent} (true)`,
        node.falseEvent && `${node.falseEvent} (false)`,
        ...(node.branches ?? []).map((branch) => branch.event),
      ].filter((event): event is string => Boolean(event));
      return h(
        'li',
        { class: `step ${wrong.length > 0 ? 'invalid' : 'todo'}`, 'data-step': node.name },
        h('span', { class: 'name' }, node.name),
        h(
          'span',
          { class: 'kind' },
          node.kind === 'step' || node.kind === undefined
            ? `${node.action ?? 'step'}${node.wait ? `, waits for ${node.wait.event}` : ''}`
            : node.kind
        ),
        h('span', { class: 'events' }, `on: ${node.inputEvents.join(', ') || '—'}`),
        raises.length > 0 ? h('span', { class: 'events' }, `raises: ${raises.join(', ')}`) : '',
        wrong.length > 0
          ? h(
              'ul',
              { class: 'step-problems' },
              wrong.map((message) => h('li', null, message))
            )
          : ''
      );
    })
  );
}
