import { cloudEventType } from '../events/cloud-event';
import { ENTITY_TYPES, type EntityType } from '../events/entity-type';
import type { AggregationRule } from './aggregate-line-event';
import { initialStateOf } from './out-of-box';
import type { StateFrameworkConfig } from './state-framework';

/**
 * Markdown tables of a configuration, for `docs/state-framework.md`. The doc's generated section is
 * this output (formatted by Prettier); a unit test fails when they drift, so the doc cannot lie.
 */
export function renderStateTables(config: StateFrameworkConfig, mapping: readonly AggregationRule[]): string {
  const sections = ENTITY_TYPES.map((entityType) => renderEntityType(config, entityType));
  sections.push(renderAggregations(mapping));
  return sections.join('\n');
}

function renderEntityType(config: StateFrameworkConfig, entityType: EntityType): string {
  const states = config.states
    .filter((s) => s.entityType === entityType)
    .sort((a, b) => a.timelinePosition - b.timelinePosition);
  const transitions = config.transitions.filter((t) => t.entityType === entityType);
  const events = config.events.filter((e) => e.entityType === entityType);
  const out = [`### ${entityType}`, '', `Initial state: \`${initialStateOf(entityType)}\`.`, ''];

  out.push('#### States and reasons', '');
  out.push(
    ...table(
      ['Position', 'State', 'Read-only', 'Reasons'],
      states.map((s) => [
        String(s.timelinePosition),
        s.name,
        yesNo(s.readOnly),
        config.reasons
          .filter((r) => r.entityType === entityType && r.state === s.name)
          .map((r) => r.name)
          .join(', ') || '—',
      ])
    )
  );

  out.push('', '#### Transitions', '');
  out.push(
    ...table(
      ['Business event', 'Source state', 'Target state', 'Target reason'],
      transitions.map((t) => [t.event, t.sourceState, t.targetState, t.targetReason ?? '—'])
    )
  );

  out.push('', '#### Business events', '');
  out.push(
    ...table(
      ['Business event', 'CloudEvents type', 'Changes state', 'Description'],
      events.map((e) => [
        e.name,
        `\`${cloudEventType(entityType, e.name)}\``,
        yesNo(transitions.some((t) => t.event === e.name)),
        e.description,
      ])
    )
  );
  out.push('');
  return out.join('\n');
}

function renderAggregations(mapping: readonly AggregationRule[]): string {
  return [
    '### Aggregated events',
    '',
    ...table(
      ['Line entity type', 'When every counted line is', 'Lines not counted', 'Raise on the header'],
      mapping.map((r) => [
        r.lineEntityType,
        r.lineState,
        r.ignoredLineStates.join(', ') || '—',
        `${r.headerEntityType}: ${r.headerEvent}`,
      ])
    ),
    '',
  ].join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
