import { getProduct } from '../shared/app/products/get-product';
import { putProduct } from '../shared/app/products/put-product';
import { productDeps } from '../shared/app/products/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

const productsPath = '/api/v1/products';

/** PUT /api/v1/products/{sku}: create (201) or replace (200) a product; If-Match / If-None-Match honoured. */
export const putProductHandler = route('putProduct', 'PUT', 'v1/products/{sku}', async (request) => {
  const body = await jsonBody(request);
  const result = await putProduct(
    await productDeps(),
    request.params.sku ?? '',
    body.value,
    writePreconditionsOf(request)
  );
  return putAnswer(productsPath, result.product.sku, result.product, result);
});

/** GET /api/v1/products/{sku}: the product with its ETag, or 404. */
export const getProductHandler = route('getProduct', 'GET', 'v1/products/{sku}', async (request) => {
  const found = await getProduct(await productDeps(), request.params.sku ?? '');
  return versionedAnswer(found.product, found.etag);
});
