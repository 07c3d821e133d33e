import type { OrderRepository } from '../../shared/ports/orders';

/** The repository with some methods replaced (a worker that dies at one write), the rest the real ones. */
export function orderRepositoryWith(
  real: OrderRepository,
  replaced: Partial<OrderRepository>
): OrderRepository {
  return {
    createWithTimeline: (order, timeline) => real.createWithTimeline(order, timeline),
    get: (id) => real.get(id),
    getForUpdate: (id) => real.getForUpdate(id),
    saveWithTimeline: (order, etag, timeline, results) =>
      real.saveWithTimeline(order, etag, timeline, results),
    find: (filter, page) => real.find(filter, page),
    timeline: (id) => real.timeline(id),
    hasTimelineEntry: (id, entry) => real.hasTimelineEntry(id, entry),
    recordStep: (id, timeline, result) => real.recordStep(id, timeline, result),
    stepResult: (id, runId) => real.stepResult(id, runId),
    stepResultAndOrder: (id, runId) => real.stepResultAndOrder(id, runId),
    ...replaced,
  };
}
