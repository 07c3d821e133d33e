import { h } from './dom.js';
import type { JourneyDefinition, JourneyStatus, TimelineEntry } from './types.js';

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
