import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ProviderCircuits } from '../../shared/app/provider-actions/outbound-http';
import {
  runProviderAction,
  type ProviderActionDeps,
} from '../../shared/app/provider-actions/run-provider-action';
import { ProviderSettings } from '../../shared/app/providers/provider-settings';
import type { ErrorEntry } from '../../shared/domain/error-lists/error-entry';
import type { Order } from '../../shared/domain/orders/order';
import type { ProviderInstance } from '../../shared/domain/providers/provider-instance';
import type { ProviderPlugin } from '../../shared/ports/provider-plugins';
import type { ProviderConfigRepository } from '../../shared/ports/providers';
import { avalaraPlugin } from '../../shared/providers/avalara/plugin';
import { startAvalaraServer, type AvalaraServer } from '../support/provider-servers/avalara-server';

const now = new Date('2026-03-04T10:00:00Z');
const leaky = 'leaky-secret-value';

/** A plug-in whose handler puts its secret in its error message (which it must not do). */
const careless: ProviderPlugin = {
  definition: { ...avalaraPlugin.definition, id: 'careless', actions: [{ name: 'leak', description: '' }] },
  actions: {
    leak: (call) => Promise.reject(new Error(`refused with key ${call.connection.secrets.apiKey}`)),
  },
};

const order: Order = {
  id: 'o-1',
  type: 'order',
  orderId: 'o-1',
  externalId: 'E-1',
  channel: 'direct',
  currency: 'USD',
  customer: {},
  shipTo: { postalCode: '40202', country: 'US', state: 'KY' },
  lines: [{ lineId: '1', sku: 'A', quantity: 2, unitPrice: 1000, state: 'new' }],
  state: 'new',
  intakeKey: 'k',
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};

let server: AvalaraServer;
let deps: ProviderActionDeps;
let listed: ErrorEntry[];
const instances = new Map<string, ProviderInstance>();

beforeEach(async () => {
  server = await startAvalaraServer();
  listed = [];
  const instance = (
    id: string,
    provider: string,
    active: boolean,
    parameters: ProviderInstance['parameters'],
    secrets: Record<string, string>
  ): ProviderInstance => ({
    id,
    provider,
    active,
    parameters,
    secrets,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  const avalara = { baseUrl: server.url, companyCode: server.companyCode };
  const credentials = { accountId: server.accountId, licenseKey: server.licenseKey };
  for (const i of [
    instance('tax', 'avalara', true, avalara, credentials),
    instance('off', 'avalara', false, avalara, credentials),
    instance('careless', 'careless', true, {}, { apiKey: leaky }),
  ])
    instances.set(i.id, i);
  const repository = {
    getInstance: (id: string) => Promise.resolve(instances.get(id)),
    listInstances: () => Promise.resolve([...instances.values()]),
  } as unknown as ProviderConfigRepository;
  const clock = { now: () => now };
  deps = {
    settings: new ProviderSettings(repository, clock),
    plugins: {
      get: (id) => [avalaraPlugin, careless].find((p) => p.definition.id === id),
      all: () => [avalaraPlugin, careless],
    },
    http: new ProviderHttpClient({ maxAttempts: 1 }),
    circuits: new ProviderCircuits(clock),
    errors: {
      create: (entry: ErrorEntry) =>
        Promise.resolve(listed.push(entry) > 0 ? ('created' as const) : ('exists' as const)),
    } as unknown as ProviderActionDeps['errors'],
    clock,
  };
});
afterEach(() => server.close());

const request = (instanceId: string, action: string) => ({
  instanceId,
  action,
  subject: { type: 'order' as const, order },
  idempotencyKey: 'node-key',
  step: 'Calculate tax',
  orderId: 'o-1',
  runKey: 'run-1',
});

it('runs the action of an active instance and answers its effects with the recorded exchange', async () => {
  const outcome = await runProviderAction(deps, request('tax', 'calculateTax'));
  expect(outcome).toMatchObject({
    ok: true,
    answer: {
      effects: [
        { type: 'orderLineTax', documentCode: 'o-1', lines: [{ lineId: '1', tax: 165 }], totalTax: 165 },
      ],
    },
    exchanges: [{ method: 'POST', url: `${server.url}/api/v2/transactions/create`, status: 201 }],
  });
  expect(listed).toEqual([]);
});

it('refuses, without calling, an unknown or inactive instance and an action its provider lacks; each goes on the list', async () => {
  for (const [id, action, message] of [
    ['nope', 'calculateTax', 'No provider instance nope.'],
    ['off', 'calculateTax', 'Provider instance off is not active.'],
    ['tax', 'poll-orders', 'Avalara AvaTax (instance tax) has no action poll-orders.'],
  ] as const) {
    expect(await runProviderAction(deps, request(id, action))).toEqual({ ok: false, message, exchanges: [] });
  }
  expect(server.requests).toHaveLength(0);
  expect(listed.map((e) => [e.kind, e.source, e.step, e.orderId, e.message])).toEqual([
    ['provider-action', 'nope', 'Calculate tax', 'o-1', 'No provider instance nope.'],
    ['provider-action', 'off', 'Calculate tax', 'o-1', 'Provider instance off is not active.'],
    [
      'provider-action',
      'tax',
      'Calculate tax',
      'o-1',
      'Avalara AvaTax (instance tax) has no action poll-orders.',
    ],
  ]);
});

it("lists a refusal with the provider's message and the exchange; masks a secret a handler let into its message", async () => {
  server.faults.refuse('Address not geocoded.');
  const refused = await runProviderAction(deps, request('tax', 'calculateTax'));
  expect(refused).toMatchObject({ ok: false, message: 'Address not geocoded. (InvalidAddress)' });
  expect(JSON.parse(listed[0]!.detail!)).toEqual({
    action: 'calculateTax',
    exchanges: [
      {
        method: 'POST',
        url: `${server.url}/api/v2/transactions/create`,
        status: 400,
        request: server.requests[0]!.body,
        answer: expect.stringContaining('Address not geocoded.'),
      },
    ],
  });
  expect(listed[0]!.id).toBe('run-1-provider-action');

  const leaked = await runProviderAction(deps, request('careless', 'leak'));
  expect(leaked).toMatchObject({ ok: false, message: 'refused with key ***' });
  expect(JSON.stringify(listed)).not.toContain(leaky);
});
