import {
  mappingGroupInputSchema,
  providerInstanceInputSchema,
  providerRouteSchema,
  transformationInputSchema,
  transformationPreviewSchema,
} from '../../shared/schemas/provider.schema';
import { compileValidator } from '../../shared/schemas/validator';
import { ValidationError } from '../../shared/domain/errors';

const issuesOf = (run: () => unknown) => {
  try {
    run();
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return err.errors;
    throw err;
  }
};

it('compiles every provider body schema and names the wrong paths', () => {
  const instance = compileValidator(providerInstanceInputSchema, 'provider instance');
  expect(
    issuesOf(() => instance({ provider: 'shopify', active: true, parameters: { a: 1, b: 'x', c: true } }))
  ).toEqual([]);
  expect(
    issuesOf(() => instance({ provider: 'shopify', active: 'yes', parameters: { a: [] } })).map((i) => i.path)
  ).toEqual(expect.arrayContaining(['/active', '/parameters/a']));
  expect(
    issuesOf(() => instance({ provider: 'shopify', active: true, secrets: { webhookSecret: null } }))
  ).toEqual([]);
  const group = compileValidator(mappingGroupInputSchema, 'mapping group');
  expect(
    issuesOf(() => group({ mappings: [{ type: 'colour', external: 'a', internal: 'b' }] }))[0]?.path
  ).toBe('/mappings/0/type');
  const transformation = compileValidator(transformationInputSchema, 'transformation');
  expect(issuesOf(() => transformation({ messageType: 'order', expression: '$' }))).toEqual([]);
  expect(issuesOf(() => transformation({ messageType: 'order', copyOf: { version: 0 } }))[0]?.path).toBe(
    '/copyOf/version'
  );
  const preview = compileValidator(transformationPreviewSchema, 'preview');
  expect(issuesOf(() => preview({ messageType: 'order', sample: { id: 1 } }))).toEqual([]);
  expect(issuesOf(() => preview({ messageType: 'order' }))[0]?.path).toBe('/sample');
  const route = compileValidator(providerRouteSchema, 'id');
  expect(issuesOf(() => route({ id: 'a/b' }))[0]?.path).toBe('/id');
});
