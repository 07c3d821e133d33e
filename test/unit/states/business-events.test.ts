import { ValidationError } from '../../../shared/domain/errors';
import { OUT_OF_BOX_EVENTS } from '../../../shared/domain/events/catalogue';
import { cloudEventType, kebabEventName, toCloudEvent } from '../../../shared/domain/events/cloud-event';
import { ENTITY_TYPES } from '../../../shared/domain/events/entity-type';
import { eventsFor, findEvent } from '../../../shared/domain/events/find-event';
import { raiseEvent } from '../../../shared/domain/events/raise-event';
import type { RaisedBusinessEvent } from '../../../shared/domain/events/business-event';

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('business event catalogue', () => {
  it('has events for every entity type, with IOM names where IOM has them', () => {
    for (const entityType of ENTITY_TYPES) expect(eventsFor(entityType).length).toBeGreaterThan(0);
    const orderNames = eventsFor('order').map((e) => e.name);
    expect(orderNames).toEqual(
      expect.arrayContaining([
        'New Order',
        'Validation of Order Header has Succeeded',
        'Validation of Order Header has Failed',
        'Validation of Order Lines has Succeeded',
        'Order Header Ready to be Fulfilled',
        'Send Order to Fulfillment Provider has Succeeded',
        'On Hand Check Success',
        'On Hand Check Failed',
        'Order Cancelled',
      ])
    );
    expect(findEvent('Creation of Fulfillment Order Succeeded', 'fulfillmentOrder').entityType).toBe(
      'fulfillmentOrder'
    );
    expect(findEvent('Creation of fulfillment line succeeded', 'fulfillmentOrderLine')).toBeDefined();
  });

  it('gives every event a description and a unique CloudEvents type', () => {
    const types = OUT_OF_BOX_EVENTS.map((e) => cloudEventType(e.entityType, e.name));
    expect(new Set(types).size).toBe(types.length);
    expect(OUT_OF_BOX_EVENTS.every((e) => e.description.length > 0)).toBe(true);
  });

  it('finds an event by name and entity type', () => {
    expect(findEvent('On Hand Check Success', 'orderLine')).toEqual({
      name: 'On Hand Check Success',
      entityType: 'orderLine',
      description: 'Inventory is available for the line.',
    });
  });

  it('names the entity type’s known events, closest first, for an unknown name', () => {
    const err = validationError(() => findEvent('On Hand Check Succeeded', 'orderLine'));
    expect(err.code).toBe('unknown-business-event');
    expect(err.errors).toEqual([{ path: '/name', message: err.message }]);
    expect(err.message).toMatch(
      /^Unknown business event 'On Hand Check Succeeded' for entity type 'orderLine'; known events \(closest first\): 'On Hand Check Success', 'On Hand Check Failed',/
    );
    // Only the entity type's own events are listed.
    expect(err.message).not.toContain('New Order');
    for (const event of eventsFor('orderLine')) expect(err.message).toContain(`'${event.name}'`);
  });

  it('matches names exactly (a wrong casing is unknown, with the right one first)', () => {
    const err = validationError(() => findEvent('new order', 'order'));
    expect(err.message).toContain("(closest first): 'New Order',");
  });

  it('rejects an unknown entity type', () => {
    const err = validationError(() => findEvent('New Order', 'invoice' as 'order'));
    expect(err.errors[0]!.path).toBe('/entityType');
  });
});

describe('raised events and their CloudEvents envelope', () => {
  const lineEvent: RaisedBusinessEvent = {
    id: '01J9Z8Q6V0K3M2N4P5R6S7T8V9',
    name: 'Validation of Order Line has Succeeded',
    entityType: 'orderLine',
    entityId: 'line/2',
    orderId: 'ORD 1',
    occurredAt: '2025-03-01T10:15:00.000Z',
    data: { sku: 'SKU-1' },
  };

  it('accepts a well-formed event and keeps only its fields', () => {
    expect(raiseEvent({ ...lineEvent, extra: 1 } as RaisedBusinessEvent)).toEqual(lineEvent);
  });

  it('reports every problem of a malformed event', () => {
    const err = validationError(() =>
      raiseEvent({
        id: '',
        name: 'New Order',
        entityType: 'order',
        entityId: 'ORD-2',
        orderId: 'ORD-1',
        occurredAt: '2025-03-01 10:15',
        data: [] as unknown as Record<string, unknown>,
      })
    );
    expect(err.errors.map((i) => i.path)).toEqual(['/id', '/occurredAt', '/entityId', '/data']);
  });

  it('rejects a name unknown for the entity type', () => {
    const err = validationError(() => raiseEvent({ ...lineEvent, name: 'New Order' }));
    expect(err.errors[0]!.path).toBe('/name');
  });

  it('builds a CloudEvents 1.0 envelope', () => {
    expect(toCloudEvent(lineEvent)).toEqual({
      specversion: '1.0',
      type: 'openiom.orderLine.validation-of-order-line-has-succeeded',
      source: '/openiom/orders/ORD%201',
      id: '01J9Z8Q6V0K3M2N4P5R6S7T8V9',
      time: '2025-03-01T10:15:00.000Z',
      subject: 'orderLine/line%2F2',
      datacontenttype: 'application/json',
      data: {
        name: 'Validation of Order Line has Succeeded',
        entityType: 'orderLine',
        entityId: 'line/2',
        orderId: 'ORD 1',
        data: { sku: 'SKU-1' },
      },
    });
  });

  it('takes a source prefix and leaves out absent data', () => {
    const { data: _data, ...withoutData } = lineEvent;
    const envelope = toCloudEvent(withoutData, { sourcePrefix: 'https://iom.example.com/' });
    expect(envelope.source).toBe('https://iom.example.com/orders/ORD%201');
    expect(envelope.data).not.toHaveProperty('data');
  });

  it('derives kebab-case type names', () => {
    expect(kebabEventName('Validation of Order Header has Succeeded')).toBe(
      'validation-of-order-header-has-succeeded'
    );
    expect(kebabEventName('  Send Order to Fulfillment  Provider!! ')).toBe(
      'send-order-to-fulfillment-provider'
    );
    expect(cloudEventType('fulfillmentOrder', 'Fulfillment Order Shipped')).toBe(
      'openiom.fulfillmentOrder.fulfillment-order-shipped'
    );
  });
});
