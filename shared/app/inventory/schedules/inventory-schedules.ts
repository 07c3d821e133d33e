import {
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type ValidationIssue,
} from '../../../domain/errors';
import {
  refuseLinkedScheduleChange,
  scheduleFromInput,
  type InventorySchedule,
} from '../../../domain/inventory/atp/atp-schedule';
import type { Clock } from '../../../ports/clock';
import type { InventoryScheduleStore, VersionedSchedule } from '../../../ports/inventory-schedules';
import { collectIssues } from '../../versioned-resources/collect-issues';
import { conditionMatches, type EntityTagCondition } from '../../versioned-resources/entity-tags';
import { putVersioned, type WritePreconditions } from '../../versioned-resources/put-versioned';
import type { ScheduleValidators } from '../../../ports/validators';

export interface ScheduleDeps {
  validators: ScheduleValidators;
  schedules: InventoryScheduleStore;
}

export interface PutScheduleDeps extends ScheduleDeps {
  clock: Clock;
}

/**
 * `PUT /api/v1/inventory/schedules/{id}`: creates (201) or replaces (200) one dated future change.
 * If-Match / If-None-Match as for products; an entry cannot move to another SKU.
 */
export async function putSchedule(
  deps: PutScheduleDeps,
  rawId: string,
  body: unknown,
  preconditions: WritePreconditions = {}
): Promise<VersionedSchedule & { created: boolean }> {
  const issues: ValidationIssue[] = [];
  const id = collectIssues(() => deps.validators.route({ id: rawId }).id, issues);
  const input = collectIssues(() => deps.validators.body(body), issues);
  if (id === undefined || input === undefined) {
    throw new ValidationError('The schedule entry is not valid.', issues);
  }
  const { schedules } = deps;
  const result = await putVersioned<InventorySchedule>(
    {
      get: async (key) => {
        const found = await schedules.get(key);
        return found && { value: found.schedule, etag: found.etag };
      },
      create: async (schedule) => {
        const stored = await schedules.create(schedule);
        return { value: stored.schedule, etag: stored.etag };
      },
      replace: async (schedule, etag) => {
        const stored = await schedules.replace(schedule, etag);
        return { value: stored.schedule, etag: stored.etag };
      },
    },
    id,
    `Schedule entry ${id}`,
    (existing) => scheduleFromInput(id, input, existing, deps.clock.now()),
    preconditions
  );
  return { schedule: result.value, etag: result.etag, created: result.created };
}

/** One entry with its version; NotFoundError (`schedule-not-found`) when the id is unknown. */
export async function getSchedule(deps: ScheduleDeps, rawId: string): Promise<VersionedSchedule> {
  const id = deps.validators.route({ id: rawId }).id;
  const found = await deps.schedules.get(id);
  if (found === undefined)
    throw new NotFoundError(`No schedule entry ${id}.`, { code: 'schedule-not-found' });
  return found;
}

/** Deletes an entry, only at the version of If-Match when one is given; never one an order keeps. */
export async function deleteSchedule(
  deps: ScheduleDeps,
  rawId: string,
  ifMatch?: EntityTagCondition
): Promise<void> {
  const found = await getSchedule(deps, rawId);
  refuseLinkedScheduleChange(found.schedule);
  if (ifMatch !== undefined && !conditionMatches(ifMatch, found.etag, 'strong')) {
    throw new PreconditionFailedError(
      `Schedule entry ${found.schedule.id} has changed since the version in If-Match.`
    );
  }
  await deps.schedules.delete(found.schedule, found.etag);
}

/** `GET /api/v1/inventory/schedules?sku=&sourceId=&from=&to=`: one SKU's entries by date. */
export async function listSchedules(deps: ScheduleDeps, query: unknown): Promise<InventorySchedule[]> {
  const filter = deps.validators.list(query);
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new ValidationError('The schedule query is not valid.', [
      { path: '/to', message: 'must not be before from' },
    ]);
  }
  return deps.schedules.find({
    sku: filter.sku,
    ...(filter.sourceId === undefined ? {} : { sourceIds: [filter.sourceId] }),
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
  });
}
