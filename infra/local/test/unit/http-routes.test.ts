import { compileRoute, matchRoute, RouteTemplateError, sortRoutes } from '../../host/http-routes';

describe('route templates', () => {
  const match = (template: string, path: string) => matchRoute(compileRoute(template, null), path);

  it('matches literals case-insensitively and decodes parameters', () => {
    expect(match('api/orders/{id}', '/API/Orders/a%20b')).toEqual({ id: 'a b' });
    expect(match('api/orders/{id}', '/api/orders')).toBeUndefined();
    expect(match('api/orders/{id}', '/api/orders/1/extra')).toBeUndefined();
  });

  it('supports optional parameters and catch-alls', () => {
    expect(match('api/items/{id?}', '/api/items')).toEqual({});
    expect(match('api/items/{id?}', '/api/items/7')).toEqual({ id: '7' });
    expect(match('api/files/{*path}', '/api/files/a/b/c')).toEqual({ path: 'a/b/c' });
    expect(match('api/files/{*path}', '/api/files')).toEqual({});
  });

  it('applies constraints', () => {
    expect(match('api/items/{id:int}', '/api/items/42')).toEqual({ id: '42' });
    expect(match('api/items/{id:int}', '/api/items/x')).toBeUndefined();
    expect(match('api/x/{g:guid}', '/api/x/0f8fad5b-d9cb-469f-a165-70867728950e')).toBeDefined();
    expect(match('api/x/{flag:bool}', '/api/x/maybe')).toBeUndefined();
  });

  it('rejects templates it cannot honour', () => {
    expect(() => compileRoute('api/{*rest}/more', null)).toThrow(RouteTemplateError);
    expect(() => compileRoute('api/{id:regex}', null)).toThrow(RouteTemplateError);
    expect(() => compileRoute('api/file{id}.json', null)).toThrow(RouteTemplateError);
  });

  it('orders literals before parameters and catch-alls last', () => {
    const routes = sortRoutes([
      compileRoute('api/{*rest}', 'catch-all'),
      compileRoute('api/orders/{id}', 'by-id'),
      compileRoute('api/orders/export', 'export'),
    ]);
    const first = (path: string) => routes.find((r) => matchRoute(r, path))?.target;
    expect(first('/api/orders/export')).toBe('export');
    expect(first('/api/orders/17')).toBe('by-id');
    expect(first('/api/anything/else')).toBe('catch-all');
  });

  it('serves a root page at an optional segment without shadowing the routes beside it', () => {
    // An app with an empty routePrefix: its API under api/, a web page at `/` and `/{file}`.
    const routes = sortRoutes([
      compileRoute('{file?}', 'page'),
      compileRoute('api/health', 'health'),
      compileRoute('api/v1/orders/{id}', 'order'),
      compileRoute('runtime/webhooks/durabletask/instances/{id}', 'durable'),
    ]);
    const first = (path: string) => routes.find((r) => matchRoute(r, path))?.target;
    expect(first('/')).toBe('page');
    expect(first('/main.js')).toBe('page');
    expect(first('/api/health')).toBe('health');
    expect(first('/api/v1/orders/7')).toBe('order');
    expect(first('/runtime/webhooks/durabletask/instances/x')).toBe('durable');
    expect(first('/api/nowhere')).toBeUndefined();
  });
});
