import { ApiError } from './api.js';
import { h, render } from './dom.js';

/**
 * The two live regions of the page: `#alerts` (role="alert": an error, read out at once) and
 * `#status` (role="status": what an action did, read out politely).
 */
const alerts = (): HTMLElement => document.getElementById('alerts')!;
const status = (): HTMLElement => document.getElementById('status')!;

/** Shows what went wrong: a problem's title, detail and each wrong path; anything else as text. */
export function showError(error: unknown): void {
  if (error instanceof DOMException && error.name === 'AbortError') return;
  const content =
    error instanceof ApiError
      ? [
          h('strong', null, `${error.problem.title} (${error.problem.status})`),
          error.problem.detail ? h('p', null, error.problem.detail) : null,
          error.problem.errors && error.problem.errors.length > 0
            ? h(
                'ul',
                { class: 'problem-paths' },
                error.problem.errors.map((issue) =>
                  h('li', null, h('code', null, issue.path || '/'), ` ${issue.message}`)
                )
              )
            : null,
        ]
      : [
          h('strong', null, 'Something went wrong'),
          h('p', null, error instanceof Error ? error.message : String(error)),
        ];
  render(
    alerts(),
    h(
      'div',
      { class: 'notice notice-error' },
      content,
      h('button', { type: 'button', class: 'dismiss', onclick: () => clearNotices() }, 'Dismiss')
    )
  );
}

/** Says what an action did. */
export function showStatus(text: string): void {
  render(status(), h('div', { class: 'notice notice-ok' }, text));
}

export function clearNotices(): void {
  render(alerts());
  render(status());
}
