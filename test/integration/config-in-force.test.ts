import { randomUUID } from 'node:crypto';
import { putStrategy } from '../../shared/app/fulfillment/fulfillment-strategies';
import { putSource } from '../../shared/app/fulfillment/sources';
import {
  getPlanRequestDeps,
  getStrategiesForPlanning,
  sourceDeps,
  strategyDeps,
} from '../../shared/app/fulfillment/wiring';
import { getCosmosDatabase, setClock } from '../../shared/app/platform/wiring';
import { resetRegistry } from '../../shared/app/registry';
import { getStateFrameworkConfig, getStateFrameworkStore } from '../../shared/app/states/wiring';
import { resetConfigForTests } from '../../shared/config';

// Configuration every order reads is kept briefly; a write through this process is seen at once.

const saved = { ...process.env };

beforeAll(() => {
  process.env = { ...saved, COSMOS_DATABASE: `it-config-in-force-${randomUUID()}` };
  resetConfigForTests();
  resetRegistry();
  // Time stands still: only a write can make the caches read again.
  const at = new Date('2026-01-01T00:00:00Z');
  setClock({ now: () => at });
});

afterAll(async () => {
  await (await getCosmosDatabase()).delete();
  process.env = saved;
  resetConfigForTests();
  resetRegistry();
});

it('plans with a strategy as soon as it is written', async () => {
  const planning = await getStrategiesForPlanning();
  expect(await planning.list()).toEqual([]);
  const body = { isDefault: true, objective: 'distance', constraints: [] };
  await putStrategy(await strategyDeps(), 'nearest', body);
  expect((await planning.list()).map((s) => s.strategy.id)).toEqual(['nearest']);
  await putStrategy(await strategyDeps(), 'nearest', { ...body, objective: 'cost' });
  expect((await planning.get('nearest'))?.strategy.objective).toBe('cost');
});

it('plans from a source as soon as it is written', async () => {
  const { sources } = await getPlanRequestDeps();
  expect(await sources.list()).toEqual([]);
  await putSource(await sourceDeps(), 'WH-1', {
    name: 'New York',
    type: 'warehouse',
    address: { postalCode: '10001', city: 'New York', country: 'US' },
    online: true,
  });
  expect((await sources.list()).map((s) => s.id)).toEqual(['WH-1']);
});

it('raises events through a state framework as soon as it is written', async () => {
  expect((await getStateFrameworkConfig()).enabled).toBe(true);
  await (await getStateFrameworkStore()).write({ enabled: false }, undefined);
  expect((await getStateFrameworkConfig()).enabled).toBe(false);
});
