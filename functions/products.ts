import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { respond } from '../shared/http/respond';
import { getProduct } from '../shared/app/get-product';
import { entityTagOf, parseEntityTags } from '../shared/app/entity-tags';
import { putProduct } from '../shared/app/put-product';
import { getClock, getProductRepository, getProductValidators } from '../shared/composition';
import { readJsonBody } from '../shared/http/json-body';

const productsPath = '/api/v1/products';

/** PUT /api/v1/products/{sku}: create (201) or replace (200) a product; If-Match / If-None-Match honoured. */
export async function putProductHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return respond(context, async () => {
    const deps = {
      validators: getProductValidators(),
      products: await getProductRepository(),
      clock: getClock(),
    };
    const ifMatch = parseEntityTags(request.headers.get('if-match'));
    const ifNoneMatch = parseEntityTags(request.headers.get('if-none-match'));
    const result = await putProduct(deps, request.params.sku ?? '', body.value, {
      ...(ifMatch ? { ifMatch } : {}),
      ...(ifNoneMatch ? { ifNoneMatch } : {}),
    });
    const location = `${productsPath}/${encodeURIComponent(result.product.sku)}`;
    return {
      status: result.created ? 201 : 200,
      headers: { etag: entityTagOf(result.etag), ...(result.created ? { location } : {}) },
      jsonBody: result.product,
    };
  });
}

/** GET /api/v1/products/{sku}: the product with its ETag, or 404. */
export async function getProductHandler(
  request: HttpRequest,
  context: InvocationContext
): Promise<HttpResponseInit> {
  return respond(context, async () => {
    const deps = { validators: getProductValidators(), products: await getProductRepository() };
    const found = await getProduct(deps, request.params.sku ?? '');
    return { headers: { etag: entityTagOf(found.etag) }, jsonBody: found.product };
  });
}

app.http('putProduct', {
  route: 'v1/products/{sku}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putProductHandler,
});
app.http('getProduct', {
  route: 'v1/products/{sku}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getProductHandler,
});
