import { cancelSupplyOrder } from '../shared/app/purchasing/cancel-supply-order';
import { putSupplyOrder } from '../shared/app/purchasing/put-supply-order';
import { getSupplyOrder, listSupplyOrders } from '../shared/app/purchasing/query-supply-orders';
import { receiveSupplyOrder } from '../shared/app/purchasing/receive-supply-order';
import { supplyOrderPaths, type SupplyOrderKind } from '../shared/app/purchasing/supply-order-deps';
import { getPurchasingDeps } from '../shared/app/purchasing/wiring';
import { jsonBody, pageBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { receiptAnswer, supplyOrderView } from '../shared/http/supply-order-view';
import { putAnswer, versionedAnswer, writePreconditionsOf } from '../shared/http/versioned-resource';

/**
 * Purchase orders (`v1/purchase-orders`) and transfer orders (`v1/transfer-orders`), the same five
 * routes each: PUT and GET one, GET the list, POST a receipt, POST cancel (docs/purchasing.md).
 */
function supplyOrderRoutes(kind: SupplyOrderKind, name: string, path: string): void {
  const one = `${path}/{id}`;
  route(`put${name}`, 'PUT', one, async (request) => {
    const body = await jsonBody(request);
    const deps = await getPurchasingDeps();
    const result = await putSupplyOrder(
      deps,
      kind,
      request.params.id ?? '',
      body.value,
      writePreconditionsOf(request)
    );
    return putAnswer(supplyOrderPaths[kind], result.order.id, supplyOrderView(result.order), result);
  });
  route(`get${name}`, 'GET', one, async (request) => {
    const found = await getSupplyOrder(await getPurchasingDeps(), kind, request.params.id ?? '');
    return versionedAnswer(supplyOrderView(found.order), found.etag);
  });
  route(`list${name}s`, 'GET', path, async (request) => {
    const query = Object.fromEntries(request.query.entries());
    const page = await listSupplyOrders(await getPurchasingDeps(), kind, query);
    return { jsonBody: pageBody(page, supplyOrderView) };
  });
  route(`receive${name}`, 'POST', `${one}/receipts`, async (request) => {
    const body = await jsonBody(request);
    const answer = await receiveSupplyOrder(
      await getPurchasingDeps(),
      kind,
      request.params.id ?? '',
      body.value
    );
    return receiptAnswer(answer);
  });
  route(`cancel${name}`, 'POST', `${one}/cancel`, async (request) => {
    const stored = await cancelSupplyOrder(await getPurchasingDeps(), kind, request.params.id ?? '');
    return versionedAnswer(supplyOrderView(stored.order), stored.etag);
  });
}

supplyOrderRoutes('purchaseOrder', 'PurchaseOrder', 'v1/purchase-orders');
supplyOrderRoutes('transferOrder', 'TransferOrder', 'v1/transfer-orders');
