import { app } from '@azure/functions';
import { handler, jsonHandler } from '../shared/http/handlers';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';
import { getProduct } from '../shared/app/products/get-product';
import { putProduct } from '../shared/app/products/put-product';
import { getClock, getProductRepository, getProductValidators } from '../shared/composition';

const productsPath = '/api/v1/products';

/** PUT /api/v1/products/{sku}: create (201) or replace (200) a product; If-Match / If-None-Match honoured. */
export const putProductHandler = jsonHandler(async (request, body) => {
  const deps = {
    validators: getProductValidators(),
    products: await getProductRepository(),
    clock: getClock(),
  };
  const result = await putProduct(deps, request.params.sku ?? '', body, writePreconditionsOf(request));
  return putAnswer(productsPath, result.product.sku, result.product, result);
});

/** GET /api/v1/products/{sku}: the product with its ETag, or 404. */
export const getProductHandler = handler(async (request) => {
  const deps = { validators: getProductValidators(), products: await getProductRepository() };
  const found = await getProduct(deps, request.params.sku ?? '');
  return versionedAnswer(found.product, found.etag);
});

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
