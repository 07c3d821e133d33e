import { h, render } from './dom.js';
import type { PageRoute } from './router.js';

/** A page that is planned but not built: says so, so the navigation is complete from the start. */
export function placeholderPage(path: string, title: string, what: string): PageRoute {
  return {
    path,
    title,
    render: ({ body }) => render(body, h('p', null, `${what} This page is not built yet; the API has it.`)),
  };
}
