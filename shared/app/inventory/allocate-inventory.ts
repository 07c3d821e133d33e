import { applyAllocationOperation, type AllocationOperation } from '../../domain/inventory/allocation';
import { idReused } from '../../domain/inventory/inventory-errors';
import {
  dimensionsKeyOf,
  emptyRow,
  groupOf,
  type AllocationGroup,
  type Dimensions,
  type GroupAllocation,
  type RowAddress,
} from '../../domain/inventory/inventory-row';
import { newReservation } from '../../domain/inventory/reservation';
import type { InventoryWrite } from '../../ports/inventory';
import type {
  AllocateInput,
  ConsumeInput,
  InventoryDeps,
  ReallocateInput,
} from '../../ports/inventory-requests';
import { InventoryLookups } from './inventory-lookups';
import { updateInventoryRow } from './inventory-row-update';

/** The answer of an allocation operation; a repeat of its id answers the same with `duplicate: true`. */
export interface AllocationResult {
  id: string;
  operation: AllocationOperation['kind'];
  sku: string;
  sourceId: string;
  dimensions?: Dimensions;
  quantity: number;
  /** Every group's allocation of the row after the operation. */
  allocations: GroupAllocation[];
  /** Consume with `reserve: true`: the reservation made (its id is the operation id). */
  reservationId?: string;
  duplicate: boolean;
}

/** Sets stock aside for a group (`POST /api/v1/inventory/allocation/allocate`); at most availableToAllocate. */
export function allocateInventory(deps: InventoryDeps, request: AllocateInput): Promise<AllocationResult> {
  const input = deps.validators.allocate(request);
  return runAllocation(deps, input, {
    kind: 'allocate',
    group: groupOf(input.group),
    quantity: input.quantity,
  });
}

/** Moves an allocation from one group to another (`.../allocation/reallocate`). */
export function reallocateInventory(
  deps: InventoryDeps,
  request: ReallocateInput
): Promise<AllocationResult> {
  const input = deps.validators.reallocate(request);
  return runAllocation(deps, input, {
    kind: 'reallocate',
    from: groupOf(input.from),
    to: groupOf(input.to),
    quantity: input.quantity,
  });
}

/** Gives a group's stock back to the unpromised pool (`.../allocation/unallocate`). */
export function unallocateInventory(deps: InventoryDeps, request: AllocateInput): Promise<AllocationResult> {
  const input = deps.validators.unallocate(request);
  return runAllocation(deps, input, {
    kind: 'unallocate',
    group: groupOf(input.group),
    quantity: input.quantity,
  });
}

/**
 * Uses a group's stock (`.../allocation/consume`): with `reserve: true` it becomes soft reservation
 * `id` (release it with unreserve); without, the units leave on-hand with the allocation.
 */
export function consumeAllocation(deps: InventoryDeps, request: ConsumeInput): Promise<AllocationResult> {
  const input = deps.validators.consume(request);
  return runAllocation(deps, input, {
    kind: 'consume',
    group: groupOf(input.group),
    quantity: input.quantity,
    reserve: input.reserve ?? false,
  });
}

/**
 * One allocation operation on one row, idempotent by id: the operation's record (with its answer)
 * is created in the same batch as the ETag-checked row, so a repeat finds the record and answers
 * from it, and two concurrent deliveries cannot both apply.
 */
async function runAllocation(
  deps: InventoryDeps,
  input: { id: string; sku: string; sourceId: string; dimensions?: Dimensions },
  operation: AllocationOperation
): Promise<AllocationResult> {
  const dimensions = input.dimensions ?? {};
  const address: RowAddress = {
    sku: input.sku,
    sourceId: input.sourceId,
    dimensionsKey: dimensionsKeyOf(dimensions),
  };
  const request = { ...operation, sourceId: input.sourceId, dimensionsKey: address.dimensionsKey };
  const lookups = new InventoryLookups(deps);
  const source = await lookups.requireSource(input.sourceId);
  return updateInventoryRow(deps.store, address, async (stored) => {
    const earlier = await deps.store.getAllocationOperation(input.sku, input.id);
    if (earlier !== undefined) {
      if (stableJson(earlier.request) !== stableJson(request))
        throw idReused('Allocation operation id', input.id);
      return { result: { ...(earlier.result as unknown as AllocationResult), duplicate: true } };
    }
    if (stored === undefined) await lookups.requireProduct(input.sku);
    const row = stored?.row ?? emptyRow(input.sku, input.sourceId, dimensions);
    const outcome = applyAllocationOperation(row, operation, {
      definitions: deps.measures,
      safetyStock: source.safetyStock,
    });
    if (!outcome.ok) throw outcome.error;
    const reserves = operation.kind === 'consume' && operation.reserve;
    const result: AllocationResult = {
      id: input.id,
      operation: operation.kind,
      sku: input.sku,
      sourceId: input.sourceId,
      ...(address.dimensionsKey === '' ? {} : { dimensions }),
      quantity: operation.quantity,
      allocations: outcome.value.allocations,
      ...(reserves ? { reservationId: input.id } : {}),
      duplicate: false,
    };
    const writes: InventoryWrite[] = [
      {
        kind: 'record-allocation-operation',
        operation: {
          id: input.id,
          sku: input.sku,
          request,
          result: { ...result },
          appliedAt: deps.clock.now().toISOString(),
        },
      },
    ];
    if (reserves) {
      if ((await deps.store.getReservation(input.sku, input.id)) !== undefined) {
        throw idReused('Reservation id', input.id);
      }
      const group: AllocationGroup = (operation as { group: AllocationGroup }).group;
      const reservation = newReservation(
        {
          id: input.id,
          sku: input.sku,
          sourceId: input.sourceId,
          dimensionsKey: address.dimensionsKey,
          quantity: operation.quantity,
        },
        outcome.value,
        deps.clock.now(),
        group
      );
      writes.push({ kind: 'create-reservation', reservation });
    }
    return { row: outcome.value, writes, result };
  });
}

/** JSON with object keys sorted, so that two equal requests compare equal whatever the key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  );
}
