import { eventsRaisedBy, type Journey, type JourneyNode } from './journey';

/**
 * Draws a journey as a Mermaid flowchart: a start node for the journey's start event, one node per
 * journey node (a step as a box with its action, a condition as a rhombus, a splitter as a
 * subroutine box, an exit as a stadium) and one arrow per event from the node that raises it to each
 * node that listens for it, labelled with the event. An event nobody listens to draws no arrow. Node
 * ids are `n0`, `n1`, … in the journey's order, so the text is stable; labels are quoted with `"`
 * written as `#quot;`.
 */
export function drawJourney(journey: Journey): string {
  const ids = new Map(journey.steps.map((node, index) => [node.name, `n${index}`]));
  const id = (node: JourneyNode): string => ids.get(node.name) as string;
  const lines = ['flowchart TD', `  start((${label(journey.startEvent)}))`];
  for (const node of journey.steps) lines.push(`  ${id(node)}${shape(node)}`);
  const listeners = (event: string): JourneyNode[] =>
    journey.steps.filter((node) => node.inputEvents.includes(event));
  for (const target of listeners(journey.startEvent)) {
    lines.push(`  start -->|${label(journey.startEvent)}| ${id(target)}`);
  }
  for (const node of journey.steps) {
    for (const event of [...new Set(eventsRaisedBy(node))]) {
      for (const target of listeners(event)) lines.push(`  ${id(node)} -->|${label(event)}| ${id(target)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function shape(node: JourneyNode): string {
  switch (node.kind) {
    case 'step':
      return `[${label(`${node.name}<br/>${node.action}${node.wait ? `, waits for ${node.wait.event}` : ''}`)}]`;
    case 'condition':
      return `{${label(node.name)}}`;
    case 'splitter':
      return `[[${label(node.name)}]]`;
    case 'exit':
      return `([${label(node.name)}])`;
  }
}

function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}
