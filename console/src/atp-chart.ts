import { h, table } from './dom.js';
import type { AtpDay } from './types.js';

const svgNs = 'http://www.w3.org/2000/svg';
const width = 640;
const height = 220;
const margin = { top: 16, right: 12, bottom: 36, left: 48 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * The ATP of one SKU at one source, day by day: bars for what is projected at the end of each day,
 * a line for what can be promised. The chart is a picture with a summary for screen readers; the
 * table after it has every figure.
 */
export function atpChart(sku: string, sourceId: string, days: readonly AtpDay[]): HTMLElement {
  const id = `atp-${sku}-${sourceId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const values = days.flatMap((day) => [day.projected, day.atp]);
  const top = Math.max(1, ...values);
  const bottom = Math.min(0, ...values);
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const y = (value: number) => margin.top + ((top - value) / (top - bottom)) * plotHeight;
  const slot = plotWidth / Math.max(1, days.length);
  const x = (index: number) => margin.left + index * slot;

  const first = days[0];
  const last = days[days.length - 1];
  const summary = first
    ? `Available to promise of ${sku} at ${sourceId}: ${first.atp} on ${first.date}, ${last!.atp} on ${last!.date}.`
    : `No figures for ${sku} at ${sourceId}.`;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-title`,
    class: 'atp-chart',
  });
  chart.appendChild(svg('title', { id: `${id}-title` }, summary));
  for (const tick of [bottom, (top + bottom) / 2, top]) {
    chart.appendChild(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), class: 'grid' })
    );
    chart.appendChild(
      svg('text', { x: margin.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, format(tick))
    );
  }
  days.forEach((day, index) => {
    const barTop = y(Math.max(0, day.projected));
    chart.appendChild(
      svg('rect', {
        x: x(index) + slot * 0.15,
        y: barTop,
        width: slot * 0.7,
        height: Math.max(0, Math.abs(y(day.projected) - y(0))),
        class: day.projected < 0 ? 'bar short' : 'bar',
      })
    );
    chart.appendChild(
      svg(
        'text',
        { x: x(index) + slot / 2, y: height - margin.bottom + 16, 'text-anchor': 'middle', class: 'axis' },
        day.date.slice(5)
      )
    );
  });
  const points = days.map((day, index) => `${x(index) + slot / 2},${y(day.atp)}`).join(' ');
  chart.appendChild(svg('polyline', { points, class: 'atp-line' }));
  days.forEach((day, index) =>
    chart.appendChild(svg('circle', { cx: x(index) + slot / 2, cy: y(day.atp), r: 3.5, class: 'atp-point' }))
  );

  return h(
    'figure',
    { class: 'atp', 'data-sku': sku, 'data-source': sourceId },
    h('figcaption', null, `${sku} at ${sourceId}`),
    chart,
    h(
      'p',
      { class: 'legend', 'aria-hidden': 'true' },
      h('span', { class: 'key key-bar' }),
      ' projected at the end of the day ',
      h('span', { class: 'key key-line' }),
      ' available to promise'
    ),
    table(
      `Available to promise of ${sku} at ${sourceId}, by day`,
      ['Date', 'On hand', 'Supply', 'Demand', 'Projected', 'ATP'],
      days.map((day) => [
        day.date,
        format(day.onHand),
        format(day.supply),
        format(day.demand),
        format(day.projected),
        format(day.atp),
      ])
    )
  );
}

const format = (value: number): string => String(Math.round(value * 100) / 100);
