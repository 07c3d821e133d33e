import { outOfBoxConfig } from '../../../shared/domain/states/out-of-box';
import { readMetrics, type ReadMetricsDeps } from '../../../shared/app/metrics/read-metrics';

// The dashboard's answer put together from the counts the store gives (the counts themselves are
// tested against Cosmos in test/integration/metrics-counts.test.ts).
const zero = { open: 0, resubmitted: 0, dismissed: 0 };

function deps(overrides: Partial<ReadMetricsDeps> = {}): ReadMetricsDeps {
  return {
    intake: { totals: () => Promise.resolve({ received: 7, duplicates: 2, rejected: 1 }) },
    stored: {
      ordersByState: (states) =>
        Promise.resolve({
          total: 6,
          byState: Object.fromEntries(states.map((s) => [s, s === 'new' ? 2 : s === 'completed' ? 3 : 0])),
        }),
      errorEntries: (list) =>
        Promise.resolve(list === 'policy' ? { open: 2, resubmitted: 1, dismissed: 0 } : { ...zero, open: 1 }),
    },
    journeys: {
      byStatus: () =>
        Promise.resolve({ running: 1, waiting: 0, paused: 0, failed: 1, completed: 3, cancelled: 0 }),
    },
    states: () => Promise.resolve(outOfBoxConfig()),
    clock: { now: () => new Date('2026-12-02T10:00:00Z') },
    ...overrides,
  };
}

it('counts every order state in force, the rest as other, and totals the error lists', async () => {
  const metrics = await readMetrics(deps());
  expect(metrics).toEqual({
    at: '2026-12-02T10:00:00.000Z',
    intake: { received: 7, duplicates: 2, rejected: 1 },
    orders: {
      total: 6,
      byState: {
        new: 2,
        'in progress': 0,
        'on hold': 0,
        'fulfillment in process': 0,
        completed: 3,
        cancelled: 0,
        other: 1,
      },
    },
    journeys: { running: 1, waiting: 0, paused: 0, failed: 1, completed: 3, cancelled: 0 },
    errorLists: {
      open: 5,
      resubmitted: 1,
      dismissed: 0,
      byList: {
        'provider-inbound': { ...zero, open: 1 },
        'provider-action': { ...zero, open: 1 },
        'orchestration-step': { ...zero, open: 1 },
        policy: { open: 2, resubmitted: 1, dismissed: 0 },
      },
    },
  });
});

it('asks the store for the custom order states too, and only order states', async () => {
  const asked: string[][] = [];
  const base = outOfBoxConfig();
  const custom = {
    ...base,
    states: [
      ...base.states,
      { entityType: 'order' as const, name: 'awaiting payment', readOnly: false, timelinePosition: 9 },
    ],
  };
  const d = deps({ states: () => Promise.resolve(custom) });
  await readMetrics({
    ...d,
    stored: {
      ...d.stored,
      ordersByState: (states) => (asked.push([...states]), d.stored.ordersByState(states)),
    },
  });
  expect(asked).toEqual([
    ['new', 'in progress', 'on hold', 'fulfillment in process', 'completed', 'cancelled', 'awaiting payment'],
  ]);
});
