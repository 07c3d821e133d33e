/**
 * The declarative HTTP provider and the built-ins on it (Flexe, Uber Freight), through the real
 * ProviderHttpClient against the local JSON API: each auth scheme, request and response
 * transformations, idempotency headers, the provider's error message, a response transformation
 * whose output is not effects, the `actions` parameter checked on save, and signed callbacks.
 */
import { ProviderHttpClient } from '../../shared/adapters/http/provider-http-client';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import type {
  ActionCall,
  ActionSubject,
  ProviderConnection,
  ProviderPlugin,
} from '../../shared/ports/provider-plugins';
import { flexePlugin } from '../../shared/providers/flexe/plugin';
import { genericHttpPlugin } from '../../shared/providers/generic-http/plugin';
import { uberFreightPlugin } from '../../shared/providers/uber-freight/plugin';
import { connectionOf } from '../support/provider-connection';
import {
  flexeRoutes,
  flexeShipmentCallback,
  signBody,
  startGenericHttpServer,
  uberFreightRoutes,
  type FlexeState,
  type GenericHttpServer,
  type Route,
  type ServerAuth,
  type UberFreightState,
} from '../support/provider-servers/generic-http-server';
import { NOW, order, sentFo } from './fulfillment-orders/fixtures';

const http = new ProviderHttpClient({ baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 });
const servers: GenericHttpServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(auth: ServerAuth, routes: Record<string, Route>): Promise<GenericHttpServer> {
  const server = await startGenericHttpServer({ auth, routes });
  servers.push(server);
  return server;
}

const fo = sentFo('fo-1', [
  ['o-1', '1', 'SKU-A', 2],
  ['o-1', '2', 'SKU-B', 3],
]);
const foSubject: ActionSubject = {
  type: 'fulfillmentOrder',
  fulfillmentOrder: fo,
  orders: [
    order(
      'o-1',
      [
        ['1', 'SKU-A', 2],
        ['2', 'SKU-B', 3],
      ],
      { accountId: 'C1', name: 'Ada Lovelace' }
    ),
  ],
};

function callOf(
  connection: ProviderConnection,
  action: string,
  subject = foSubject,
  key = 'run-1:step-1'
): ActionCall {
  return { connection, action, subject, idempotencyKey: key, now: NOW };
}

async function act(plugin: ProviderPlugin, call: ActionCall) {
  return plugin.actions![call.action]!(call, http);
}

/** Echo: `POST /orders/{fo id}` answers its body back with an id. */
const echoRoutes: Record<string, Route> = {
  'POST /orders/fo-1': (request) => ({ status: 201, body: { id: 'ORD 7', received: request.body } }),
};

const echoActions = JSON.stringify({
  sendFulfillmentOrder: {
    method: 'POST',
    path: '/orders/{subject.fulfillmentOrder.id}',
    request:
      '{ "reference": subject.fulfillmentOrder.id, "units": $sum(subject.fulfillmentOrder.lines.quantity) }',
    idempotencyHeader: 'Idempotency-Key',
    response: '[{ "type": "externalReference", "system": "echo", "id": body.id }]',
  },
});

describe('generic HTTP actions, one per auth scheme', () => {
  const cases: [string, ServerAuth, Record<string, string | number | boolean>, Record<string, string>][] = [
    ['none', { scheme: 'none' }, { authScheme: 'none' }, {}],
    [
      'basic',
      { scheme: 'basic', username: 'ada', password: 'pw:1' },
      { authScheme: 'basic' },
      { username: 'ada', password: 'pw:1' },
    ],
    [
      'bearer',
      { scheme: 'bearer', token: 'static-token' },
      { authScheme: 'bearer' },
      { token: 'static-token' },
    ],
    [
      'apiKeyHeader',
      { scheme: 'apiKeyHeader', header: 'X-Api-Token', apiKey: 'k-123' },
      { authScheme: 'apiKeyHeader', apiKeyHeader: 'X-Api-Token' },
      { apiKey: 'k-123' },
    ],
  ];

  it.each(cases)(
    '%s: sends the request transformation output and turns the answer into effects',
    async (_name, auth, parameters, secrets) => {
      const server = await serve(auth, echoRoutes);
      const connection = connectionOf(
        genericHttpPlugin,
        `gh-${_name}`,
        { baseUrl: server.url, actions: echoActions, ...parameters },
        secrets
      );
      const answer = await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'));
      expect(answer).toEqual({
        effects: [{ type: 'externalReference', system: 'echo', id: 'ORD 7' }],
        detail: 'POST /orders/fo-1 answered 201',
      });
      expect(server.received).toHaveLength(1);
      const [sent] = server.received;
      expect(JSON.parse(sent!.body)).toEqual({ reference: 'fo-1', units: 5 });
      expect(sent!.headers['idempotency-key']).toBe('run-1:step-1');
      expect(sent!.headers['content-type']).toBe('application/json');
    }
  );

  it('a wrong secret is the provider refusing the call, with its message', async () => {
    const server = await serve({ scheme: 'bearer', token: 'right' }, echoRoutes);
    const connection = connectionOf(
      genericHttpPlugin,
      'gh-wrong',
      { baseUrl: server.url, actions: echoActions, authScheme: 'bearer' },
      { token: 'wrong' }
    );
    const failure = act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'));
    await expect(failure).rejects.toThrow(new ProviderCallError('Authentication failed.', 401));
  });

  it('a missing secret fails before any call, naming the secret and not its value', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const connection = connectionOf(genericHttpPlugin, 'gh-nosecret', {
      baseUrl: server.url,
      actions: echoActions,
      authScheme: 'apiKeyHeader',
    });
    await expect(act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'))).rejects.toThrow(
      'The secret apiKey of instance gh-nosecret is not set (authScheme apiKeyHeader).'
    );
    expect(server.received).toHaveLength(0);
  });
});

describe('generic HTTP with OAuth client credentials', () => {
  const auth: ServerAuth = {
    scheme: 'oauthClientCredentials',
    clientId: 'cid',
    clientSecret: 'csecret',
    scope: 'orders.write',
  };

  it('asks for a token once, reuses it, and asks again once after a 401', async () => {
    const server = await serve(auth, echoRoutes);
    const connection = connectionOf(
      genericHttpPlugin,
      'gh-oauth',
      {
        baseUrl: server.url,
        actions: echoActions,
        authScheme: 'oauthClientCredentials',
        tokenUrl: `${server.url}/oauth/token`,
        scope: 'orders.write',
      },
      { clientId: 'cid', clientSecret: 'csecret' }
    );
    await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'));
    await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder', foSubject, 'run-2'));
    expect(server.tokensIssued()).toBe(1);
    expect(server.received.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1']);

    server.revokeTokens();
    await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder', foSubject, 'run-3'));
    expect(server.tokensIssued()).toBe(2);
    expect(server.received.at(-1)!.headers.authorization).toBe('Bearer token-2');
  });

  it('a refused client is the token endpoint’s message', async () => {
    const server = await serve(auth, echoRoutes);
    const connection = connectionOf(
      genericHttpPlugin,
      'gh-oauth-bad',
      {
        baseUrl: server.url,
        actions: echoActions,
        authScheme: 'oauthClientCredentials',
        tokenUrl: `${server.url}/oauth/token`,
        scope: 'orders.write',
      },
      { clientId: 'cid', clientSecret: 'nope' }
    );
    await expect(act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'))).rejects.toThrow(
      'The token request was refused (401): invalid_client: Client authentication failed.'
    );
  });
});

describe('generic HTTP failures', () => {
  it('retries 503s and then succeeds; a 400 fails with the provider’s own message', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const connection = connectionOf(genericHttpPlugin, 'gh-fail', {
      baseUrl: server.url,
      actions: echoActions,
    });
    server.failNext(2);
    const answer = await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'));
    expect(answer.effects).toHaveLength(1);
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set(['run-1:step-1'])
    );

    server.rejectNext({ errors: [{ code: 'E42', message: 'ship-to postal code is invalid' }] });
    const failure = await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder')).catch(
      (err: unknown) => err
    );
    expect(failure).toBeInstanceOf(ProviderCallError);
    expect((failure as ProviderCallError).message).toBe('ship-to postal code is invalid');
    expect((failure as ProviderCallError).permanent).toBe(true);
  });

  it('a response transformation whose output is not effects fails with the path that is wrong', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const actions = JSON.stringify({
      sendFulfillmentOrder: {
        method: 'POST',
        path: '/orders/fo-1',
        response: '[{ "type": "shipment", "carrier": "UPS", "raiseShipped": "yes" }]',
      },
    });
    const connection = connectionOf(genericHttpPlugin, 'gh-badout', { baseUrl: server.url, actions });
    await expect(act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'))).rejects.toThrow(
      'The response transformation of action sendFulfillmentOrder gave an output that is not valid: /0/trackingNumber is required; /0/raiseShipped must be boolean.'
    );
  });

  it('a transformation that fails while running fails the step with its message', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const actions = JSON.stringify({
      sendFulfillmentOrder: {
        method: 'POST',
        path: '/orders/fo-1',
        response: 'body.id = "ORD 7" ? $error("the answer has no tracking number") : []',
      },
    });
    const connection = connectionOf(genericHttpPlugin, 'gh-throws', { baseUrl: server.url, actions });
    await expect(act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'))).rejects.toThrow(
      /^The response transformation of action sendFulfillmentOrder failed: the answer has no tracking number/
    );
  });

  it('an effect type that does not exist is named as such', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const actions = JSON.stringify({
      sendFulfillmentOrder: { method: 'POST', path: '/orders/fo-1', response: '[{ "type": "invoice" }]' },
    });
    const connection = connectionOf(genericHttpPlugin, 'gh-badtype', { baseUrl: server.url, actions });
    await expect(act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'))).rejects.toThrow(
      /\/0\/type must be one of the allowed values \(orderLineTax, shipment, externalReference, record\)/
    );
  });

  it('the response transformation sees the status, the answer and the request it sent', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const actions = JSON.stringify({
      sendFulfillmentOrder: {
        method: 'POST',
        path: '/orders/fo-1',
        request: '{ "reference": subject.fulfillmentOrder.id }',
        response:
          '[{ "type": "record", "name": "echo", "data": { "status": status, "sent": request, "echoed": body.received, "key": idempotencyKey } }]',
      },
    });
    const connection = connectionOf(genericHttpPlugin, 'gh-record', { baseUrl: server.url, actions });
    const answer = await act(genericHttpPlugin, callOf(connection, 'sendFulfillmentOrder'));
    expect(answer.effects).toEqual([
      {
        type: 'record',
        name: 'echo',
        data: {
          status: 201,
          sent: { reference: 'fo-1' },
          echoed: { reference: 'fo-1' },
          key: 'run-1:step-1',
        },
      },
    ]);
  });

  it('an action the instance does not define fails naming the parameter', async () => {
    const server = await serve({ scheme: 'none' }, echoRoutes);
    const connection = connectionOf(genericHttpPlugin, 'gh-undefined', {
      baseUrl: server.url,
      actions: echoActions,
    });
    await expect(act(genericHttpPlugin, callOf(connection, 'tenderLoad'))).rejects.toThrow(
      'Instance gh-undefined does not say how to do tenderLoad (no "tenderLoad" in its actions parameter).'
    );
  });
});

describe('the actions parameter, checked when an instance is saved', () => {
  const check = (actions: string, authScheme = 'none') =>
    genericHttpPlugin.checkParameters!({ baseUrl: 'https://x.example', actions, authScheme });

  it('takes a valid definition', () => {
    expect(check(echoActions)).toEqual([]);
  });

  it('names what is wrong, by path', () => {
    expect(check('{"sendFulfillmentOrder": ')[0]!.path).toBe('/parameters/actions');
    expect(check('{"sendFulfillmentOrder": ')[0]!.message).toMatch(/^is not JSON: /);
    expect(check(JSON.stringify({ shipIt: { method: 'POST', path: '/x', response: '[]' } }))).toEqual([
      {
        path: '/parameters/actions/shipIt',
        message: expect.stringMatching(/^is not an action of this provider \(sendOrder, /),
      },
    ]);
    expect(check(JSON.stringify({ sendOrder: { method: 'PATCH', path: 'x', respnse: '[]' } }))).toEqual(
      expect.arrayContaining([
        { path: '/parameters/actions/sendOrder/response', message: 'is required' },
        { path: '/parameters/actions/sendOrder/respnse', message: 'is not a known field' },
        {
          path: '/parameters/actions/sendOrder/method',
          message: 'must be one of the allowed values (GET, POST, PUT)',
        },
        { path: '/parameters/actions/sendOrder/path', message: 'must match pattern "^/"' },
      ])
    );
    const syntax = check(
      JSON.stringify({ sendOrder: { method: 'POST', path: '/o/{subject.order.(}', response: '[' } })
    );
    expect(syntax.map((issue) => issue.path)).toEqual([
      '/parameters/actions/sendOrder/response',
      '/parameters/actions/sendOrder/path',
    ]);
    expect(check(echoActions, 'digest')).toEqual([
      {
        path: '/parameters/authScheme',
        message: 'must be one of none, basic, bearer, apiKeyHeader, oauthClientCredentials',
      },
    ]);
    expect(check(echoActions, 'oauthClientCredentials')).toEqual([
      { path: '/parameters/tokenUrl', message: 'is required with authScheme oauthClientCredentials' },
    ]);
  });
});

describe('generic HTTP callbacks', () => {
  const connection = connectionOf(
    genericHttpPlugin,
    'gh-callback',
    {
      baseUrl: 'https://x.example',
      actions: '{}',
      callbackSignatureHeader: 'X-Hub-Signature-256',
      callbackDeliveryIdHeader: 'X-Delivery',
    },
    { callbackSecret: 'shh' }
  );
  const body = JSON.stringify({ fulfillmentOrderId: 'fo-1', event: { id: 'e-1', type: 'shipped' } });
  const request = (headers: Record<string, string>, raw = body) => ({
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    rawBody: Buffer.from(raw, 'utf8'),
  });

  it('takes a body signed with the secret (hex, sha256=hex or base64) and names the delivery', () => {
    const hex = signBody('shh', body);
    for (const signature of [hex, `sha256=${hex}`, Buffer.from(hex, 'hex').toString('base64')]) {
      expect(
        genericHttpPlugin.verifyWebhook!(
          connection,
          request({ 'x-hub-signature-256': signature, 'x-delivery': 'd-1' })
        )
      ).toEqual({
        ok: true,
        messageType: 'fulfillmentOrderEvent',
        deliveryId: 'd-1',
      });
    }
  });

  it('refuses a wrong or missing signature with 401, a missing delivery id with 400', () => {
    const wrong = genericHttpPlugin.verifyWebhook!(
      connection,
      request({ 'x-hub-signature-256': signBody('other', body), 'x-delivery': 'd-1' })
    );
    expect(wrong).toEqual({
      ok: false,
      status: 401,
      reason: 'the X-Hub-Signature-256 signature does not match the body',
    });
    const tampered = genericHttpPlugin.verifyWebhook!(
      connection,
      request({ 'x-hub-signature-256': signBody('shh', body), 'x-delivery': 'd-1' }, `${body} `)
    );
    expect(tampered).toMatchObject({ ok: false, status: 401 });
    expect(genericHttpPlugin.verifyWebhook!(connection, request({ 'x-delivery': 'd-1' }))).toEqual({
      ok: false,
      status: 401,
      reason: 'the X-Hub-Signature-256 header is missing',
    });
    expect(
      genericHttpPlugin.verifyWebhook!(connection, request({ 'x-hub-signature-256': signBody('shh', body) }))
    ).toEqual({
      ok: false,
      status: 400,
      reason: 'missing header: X-Delivery',
    });
  });

  it('without a delivery id header, the body’s hash tells a redelivery', () => {
    const plain = connectionOf(
      genericHttpPlugin,
      'gh-callback-2',
      { baseUrl: 'https://x.example', actions: '{}' },
      { callbackSecret: 'shh' }
    );
    const first = genericHttpPlugin.verifyWebhook!(plain, request({ 'x-signature': signBody('shh', body) }));
    const again = genericHttpPlugin.verifyWebhook!(plain, request({ 'x-signature': signBody('shh', body) }));
    expect(first).toMatchObject({ ok: true, messageType: 'fulfillmentOrderEvent' });
    expect(again).toEqual(first);
  });

  it('the built-in callback transformation passes {fulfillmentOrderId, event} through', async () => {
    const transformation = genericHttpPlugin.definition.transformations.fulfillmentOrderEvent!;
    const { output } = await runTransformation(transformation, JSON.parse(body), {
      instanceId: 'gh-callback',
      parameters: {},
      mappings: [],
      now: NOW,
    });
    expect(output).toEqual(JSON.parse(body));
  });
});

describe('Flexe (on the generic HTTP provider)', () => {
  it('sends the fulfillment order with ship-to, lines and our FO id, once per run', async () => {
    const state: FlexeState = { orders: new Map() };
    const server = await serve({ scheme: 'bearer', token: 'flexe-token' }, flexeRoutes(state));
    const connection = connectionOf(
      flexePlugin,
      'flexe-1',
      { baseUrl: server.url },
      { token: 'flexe-token' }
    );
    const answer = await act(flexePlugin, callOf(connection, 'sendFulfillmentOrder'));
    expect(answer).toEqual({
      effects: [{ type: 'externalReference', system: 'flexe', id: 'FX-1' }],
      detail: 'POST /v2/fulfillment_orders answered 201',
    });
    expect(state.orders.get('fo-1')!.request).toEqual({
      externalId: 'fo-1',
      shipTo: {
        name: 'Ada Lovelace',
        address1: 'Hauptstr. 1',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      lineItems: [
        { externalId: 'o-1:1', sku: 'SKU-A', quantity: 2 },
        { externalId: 'o-1:2', sku: 'SKU-B', quantity: 3 },
      ],
    });
    await act(flexePlugin, callOf(connection, 'sendFulfillmentOrder'));
    expect(state.orders.size).toBe(1);
  });

  it('a shipment callback becomes the shipped event of our FO with its tracking', async () => {
    const body = JSON.stringify(flexeShipmentCallback('fo-1', 'evt-9'));
    const connection = connectionOf(flexePlugin, 'flexe-2', {}, { callbackSecret: 'flexe-hook' });
    const check = flexePlugin.verifyWebhook!(connection, {
      headers: {
        get: (name) => (name.toLowerCase() === 'x-signature' ? signBody('flexe-hook', body) : null),
      },
      rawBody: Buffer.from(body),
    });
    expect(check).toMatchObject({ ok: true, messageType: 'shipment' });
    const { output } = await runTransformation(
      flexePlugin.definition.transformations.shipment!,
      JSON.parse(body),
      {
        instanceId: 'flexe-2',
        parameters: connection.parameters,
        mappings: [],
        now: NOW,
      }
    );
    expect(output).toEqual({
      fulfillmentOrderId: 'fo-1',
      event: {
        id: 'flexe-evt-9',
        type: 'shipped',
        tracking: { carrier: 'UPS', number: '1Z999AA10123456784', url: 'https://ups.example/1Z999' },
      },
    });
  });
});

describe('Uber Freight (on the generic HTTP provider)', () => {
  const auth: ServerAuth = {
    scheme: 'oauthClientCredentials',
    clientId: 'uber-id',
    clientSecret: 'uber-secret',
    scope: 'freight.loads',
  };

  async function uber(parcelLimit: number) {
    const state: UberFreightState = { loads: new Map() };
    const server = await serve(auth, uberFreightRoutes(state));
    const connection = connectionOf(
      uberFreightPlugin,
      `uber-${parcelLimit}`,
      { baseUrl: server.url, tokenUrl: `${server.url}/oauth/token`, customerId: 'CUST-1', parcelLimit },
      { clientId: 'uber-id', clientSecret: 'uber-secret' }
    );
    return { state, server, connection };
  }

  it('tenders an FO above the parcel limit and records the load', async () => {
    const { state, server, connection } = await uber(4);
    const answer = await act(uberFreightPlugin, callOf(connection, 'tenderLoad'));
    expect(answer.effects).toEqual([
      { type: 'externalReference', system: 'uber-freight', id: 'UF-1001' },
      { type: 'record', name: 'freightTender', data: { loadId: 'UF-1001', status: 'TENDERED' } },
    ]);
    expect(state.loads.get('fo-1')!.request).toMatchObject({
      customer_id: 'CUST-1',
      reference_number: 'fo-1',
      stops: [
        { type: 'PICKUP', facility_id: 'S1' },
        { type: 'DROPOFF', address: { postal_code: '10115', country: 'DE' } },
      ],
      total_quantity: 5,
    });
    expect(server.tokensIssued()).toBe(1);
  });

  it('a load status callback becomes the FO event its status names', async () => {
    const transformation = uberFreightPlugin.definition.transformations.loadStatus!;
    const context = { instanceId: 'uber', parameters: {}, mappings: [], now: NOW };
    const status = (value: string) =>
      runTransformation(
        transformation,
        { event_id: 'ev-1', load_id: 'UF-1001', reference_number: 'fo-1', status: value },
        context
      );
    expect((await status('DELIVERED')).output).toEqual({
      fulfillmentOrderId: 'fo-1',
      event: { id: 'uber-freight-ev-1', type: 'delivered' },
    });
    expect((await status('CANCELLED')).output).toMatchObject({ event: { type: 'cancelled' } });
    expect((await status('IN_TRANSIT')).output).toMatchObject({ event: { type: 'shipped' } });
  });

  it('answers "not tendered" without a call when the FO is within the parcel limit', async () => {
    const { server, connection } = await uber(5);
    const answer = await act(uberFreightPlugin, callOf(connection, 'tenderLoad'));
    expect(answer).toEqual({ effects: [], detail: 'not tendered: within parcel limit' });
    expect(server.requests).toHaveLength(0);
  });
});
