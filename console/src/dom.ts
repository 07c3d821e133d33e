/** A child of h(): nodes, text, or nothing (false/null/undefined are skipped, arrays flattened). */
export type Child = Node | string | number | false | null | undefined | readonly Child[];

type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Makes an element: `h('button', { type: 'button', onclick: go }, 'Go')`. `on*` attributes with a
 * function become listeners; `true` sets a boolean attribute, false/null/undefined leave it out. Text
 * is always text (never parsed as HTML), so data from the API cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    if (child instanceof Node) parent.appendChild(child);
    else if (typeof child === 'string' || typeof child === 'number')
      parent.appendChild(document.createTextNode(String(child)));
    else append(parent, child);
  }
}

/** Replaces what `parent` shows. */
export function render(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A table with a caption and column headers; rows are arrays of cells. */
export function table(
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly Child[])[]
): HTMLElement {
  return h(
    'table',
    null,
    h('caption', null, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((header) => h('th', { scope: 'col' }, header))
      )
    ),
    h(
      'tbody',
      null,
      rows.length > 0
        ? rows.map((cells) =>
            h(
              'tr',
              null,
              cells.map((cell) => h('td', null, cell))
            )
          )
        : h('tr', null, h('td', { colspan: headers.length, class: 'empty' }, 'None.'))
    )
  );
}

/** A term–description list of the fields that have a value. */
export function fields(entries: readonly (readonly [string, Child])[]): HTMLElement {
  return h(
    'dl',
    { class: 'fields' },
    entries
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([term, value]) => [h('dt', null, term), h('dd', null, value)])
  );
}

/** A date-time as the reader's locale writes it, in a <time> element with the exact value. */
export function when(iso: string | undefined): Child {
  if (!iso) return '';
  const date = new Date(iso);
  return h('time', { datetime: iso }, Number.isNaN(date.getTime()) ? iso : date.toLocaleString());
}

/** A state name as a badge whose class lets the stylesheet colour it. */
export function badge(value: string | undefined): Child {
  if (!value) return '';
  return h('span', { class: `badge badge-${value.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }, value);
}

/** A link inside the console (hash routing). */
export function link(path: string, text: Child): HTMLAnchorElement {
  return h('a', { href: `#${path}` }, text);
}

/** A text field of a submitted form, '' when it is absent. */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A form control with its label (`<label for>` naming the control's id). */
export function labelled(label: string, control: HTMLElement & { id: string }): HTMLElement {
  return h('div', null, h('label', { for: control.id }, label), control);
}

/** A region with a heading that names it, so a screen reader can jump between a page's parts. */
export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': `${id}-title`, id },
    h('h2', { id: `${id}-title` }, title),
    ...children
  );
}

/** Calls `tick` every `ms` until `signal` aborts (the reader left the page); its errors are `onError`'s. */
export function every(
  ms: number,
  signal: AbortSignal,
  tick: () => Promise<void>,
  onError: (err: unknown) => void
): void {
  const timer = setInterval(() => {
    if (!signal.aborted) tick().catch(onError);
  }, ms);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

/** JSON indented for reading. */
export const pretty = (value: unknown): string => JSON.stringify(value, null, 2);
