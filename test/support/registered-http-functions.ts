import type { HttpFunctionOptions } from '@azure/functions';

export interface HostHttpFunction {
  name: string;
  methods: string[];
  route: string;
}

/**
 * The app's entry points loaded in a module registry of their own, with `app.http` recording what is
 * registered: the HTTP functions as a host sees them, independent of the app's own route registry.
 * `also` runs inside that registry (to reach the modules that registry loaded).
 */
export function registeredHttpFunctions<T = undefined>(
  also?: () => T
): { functions: HostHttpFunction[]; also: T } {
  const functions: HostHttpFunction[] = [];
  let result: T = undefined as T;
  jest.isolateModules(() => {
    const actual = jest.requireActual<typeof import('@azure/functions')>('@azure/functions');
    jest.doMock('@azure/functions', () => ({
      ...actual,
      // Other triggers are not HTTP: recorded nowhere (and not warned about in the test mode).
      app: {
        ...Object.fromEntries(Object.keys(actual.app).map((key) => [key, () => undefined])),
        hook: Object.fromEntries(Object.keys(actual.app.hook).map((key) => [key, () => undefined])),
        http: (name: string, options: HttpFunctionOptions) =>
          functions.push({ name, methods: options.methods ?? [], route: options.route ?? name }),
      },
    }));
    // Loaded now, inside this registry and after the mock (the entry point itself is not mocked).
    jest.requireActual('../../functions/index');
    if (also) result = also();
  });
  return { functions, also: result };
}

/**
 * The API functions (every HTTP function under `api/`, as route() registers them) with their routes as
 * route() names them, without the prefix; and the functions outside it (the console).
 */
export function splitApiFunctions(functions: HostHttpFunction[]): {
  api: HostHttpFunction[];
  others: HostHttpFunction[];
} {
  const api = functions.filter((fn) => fn.route.startsWith('api/'));
  return {
    api: api.map((fn) => ({ ...fn, route: fn.route.slice('api/'.length) })),
    others: functions.filter((fn) => !fn.route.startsWith('api/')),
  };
}
