import { ValidationError, type ValidationIssue } from '../../domain/errors';
import {
  describeOrder,
  kindName,
  orderTitle,
  purchaseOrderFromInput,
  transferOrderFromInput,
  type PurchaseOrderInput,
  type SupplyOrder,
  type SupplyOrderKind,
  type TransferOrderInput,
} from '../../domain/purchasing/supply-order';
import { collectIssues } from '../versioned-resources/collect-issues';
import { putVersioned, type WritePreconditions } from '../versioned-resources/put-versioned';
import { InventoryLookups } from '../inventory/inventory-lookups';
import type { PurchasingDeps } from './supply-order-deps';
import { syncSupplySchedules } from './sync-supply-schedules';

export type SupplyOrderInput =
  { kind: 'purchaseOrder'; input: PurchaseOrderInput } | { kind: 'transferOrder'; input: TransferOrderInput };

export interface PutSupplyOrderResult {
  order: SupplyOrder;
  etag: string;
  created: boolean;
}

/**
 * `PUT /api/v1/purchase-orders/{id}` and `PUT /api/v1/transfer-orders/{id}`: creates (201) or
 * replaces (200) the order, then keeps its schedule entries in step with its open lines (ATP's
 * dated supply and demand). If-Match / If-None-Match as for products. Sources and SKUs must exist.
 */
export async function putSupplyOrder(
  deps: PurchasingDeps,
  kind: SupplyOrderKind,
  rawId: string,
  body: unknown,
  preconditions: WritePreconditions = {}
): Promise<PutSupplyOrderResult> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ id: rawId }).id, issues);
  const input = collectIssues(
    () =>
      kind === 'purchaseOrder' ? deps.validators.purchaseOrder(body) : deps.validators.transferOrder(body),
    issues
  );
  if (id === undefined || input === undefined) {
    throw new ValidationError(`The ${kindName(kind)} is not valid.`, issues);
  }
  const typed = { kind, input } as SupplyOrderInput;
  return storeSupplyOrder(deps, id, typed, preconditions);
}

/** Writes a validated order input (the PUT routes and the file drop): references checked, then stored, then scheduled. */
export async function storeSupplyOrder(
  deps: PurchasingDeps,
  id: string,
  typed: SupplyOrderInput,
  preconditions: WritePreconditions = {}
): Promise<PutSupplyOrderResult> {
  const referenceIssues = await unknownReferences(deps, typed);
  if (referenceIssues.length > 0) {
    throw new ValidationError(
      `The ${describeOrder(typed.kind, id)} names unknown SKUs or sources.`,
      referenceIssues
    );
  }
  const { orders } = deps;
  const result = await putVersioned<SupplyOrder>(
    {
      get: async (key) => {
        const found = await orders.get(typed.kind, key);
        return found && { value: found.order, etag: found.etag };
      },
      create: async (order) => {
        const stored = await orders.create(order);
        return { value: stored.order, etag: stored.etag };
      },
      replace: async (order, etag) => {
        const stored = await orders.replace(order, etag);
        return { value: stored.order, etag: stored.etag };
      },
    },
    id,
    orderTitle(typed.kind, id),
    (existing) =>
      typed.kind === 'purchaseOrder'
        ? purchaseOrderFromInput(id, typed.input, existing, deps.clock.now())
        : transferOrderFromInput(id, typed.input, existing, deps.clock.now()),
    preconditions
  );
  await syncSupplySchedules(deps, typed.kind, id);
  return { order: result.value, etag: result.etag, created: result.created };
}

async function unknownReferences(deps: PurchasingDeps, typed: SupplyOrderInput): Promise<ValidationIssue[]> {
  const lookups = new InventoryLookups(deps.inventory);
  const sources: [field: string, sourceId: string][] =
    typed.kind === 'purchaseOrder'
      ? [['sourceId', typed.input.sourceId]]
      : [
          ['fromSourceId', typed.input.fromSourceId],
          ['toSourceId', typed.input.toSourceId],
        ];
  const issues: ValidationIssue[] = [];
  await Promise.all([
    ...sources.map(async ([field, sourceId]) => {
      if ((await lookups.source(sourceId)) === undefined) {
        issues.push({ path: `/${field}`, message: `no source has id "${sourceId}"` });
      }
    }),
    ...typed.input.lines.map(async (line, i) => {
      if (!(await lookups.productExists(line.sku))) {
        issues.push({ path: `/lines/${i}/sku`, message: `no product has SKU "${line.sku}"` });
      }
    }),
  ]);
  return issues.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}
