import { api, ApiError, session } from './api.js';
import { h, render } from './dom.js';
import { clearNotices, showError } from './notices.js';
import { homePath, navigation, routes } from './pages.js';
import { currentLocation, matchPath } from './router.js';

/**
 * The shell: the sign-in form, the navigation and the page the location's hash names. Pages are
 * drawn into `#page` under the heading `#page-title`, which gets the focus on each navigation so a
 * screen reader announces the new page and the keyboard starts from it.
 */
const title = document.getElementById('page-title') as HTMLHeadingElement;
const page = document.getElementById('page') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;
let leaving: AbortController | undefined;

function setTitle(text: string): void {
  title.textContent = text;
  document.title = `${text} · openiom`;
}

function drawNavigation(path: string): void {
  render(
    nav,
    h(
      'ul',
      null,
      navigation.map((entry) =>
        h(
          'li',
          null,
          h(
            'a',
            {
              href: `#${entry.path}`,
              'aria-current': path === entry.path || path.startsWith(`${entry.path}/`) ? 'page' : null,
            },
            entry.label
          )
        )
      )
    )
  );
}

function showSignIn(message?: string): void {
  leaving?.abort();
  document.body.classList.add('signed-out');
  render(nav);
  clearNotices();
  setTitle('Sign in');
  const input = h('input', {
    id: 'functions-key',
    name: 'functions-key',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'functions-key-help',
  });
  const error = h('p', { id: 'sign-in-error', class: 'sign-in-error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'page-title' },
    h('label', { for: 'functions-key' }, 'Function key'),
    input,
    h(
      'p',
      { id: 'functions-key-help', class: 'help' },
      'The key the API asks for in x-functions-key: locally OPENIOM_FUNCTIONS_KEY from local.settings.json; in Azure a key of the function app. It is kept in this tab only.'
    ),
    error,
    h('button', { type: 'submit' }, 'Sign in')
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(input.value.trim(), error);
  });
  render(page, form);
  input.focus();
}

async function signIn(key: string, error: HTMLElement): Promise<void> {
  if (!key) return;
  session.signIn(key);
  try {
    // Any call that needs the key tells whether it is right.
    await api.get('/api/v1/orders?top=1');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return; // the form is back, with the message
    error.textContent = err instanceof Error ? err.message : String(err);
    session.signOut();
    return;
  }
  document.body.classList.remove('signed-out');
  void show();
}

async function show(): Promise<void> {
  const where = currentLocation();
  if (!where) return; // an in-page anchor such as the skip link
  if (!session.key()) return showSignIn();
  if (where.path === '/') {
    location.replace(`#${homePath}`);
    return;
  }
  leaving?.abort();
  const controller = new AbortController();
  leaving = controller;
  document.body.classList.remove('signed-out');
  drawNavigation(where.path);
  clearNotices();
  const found = routes
    .map((route) => ({ route, params: matchPath(route.path, where.path) }))
    .find((candidate) => candidate.params !== undefined);
  page.replaceChildren();
  if (!found) {
    setTitle('Not found');
    render(page, h('p', null, `The console has no page ${where.path}.`));
    title.focus();
    return;
  }
  setTitle(found.route.title);
  title.focus();
  try {
    await found.route.render({
      params: found.params ?? {},
      query: where.query,
      body: page,
      signal: controller.signal,
      setTitle: (text) => {
        if (!controller.signal.aborted) setTitle(text);
      },
    });
  } catch (err) {
    if (!controller.signal.aborted) showError(err);
  }
}

session.onUnauthorized((message) => showSignIn(message));
signOutButton.addEventListener('click', () => {
  session.signOut();
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', () => void show());
void show();
