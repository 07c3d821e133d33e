import type { BusinessEventDefinition } from './business-event';

/**
 * The out-of-box business events. Names are IOM's where IOM has one (including its casing, e.g.
 * `Creation of fulfillment line succeeded`), so journeys and docs read the same as in IOM; the rest
 * follow the same "<thing> <outcome>" style. Which of them change state is decided by the transitions
 * in `shared/domain/states/out-of-box/`, not here: an event without a transition only goes on the
 * timeline and triggers journey steps.
 *
 * Technical failures (a request to a provider failed) deliberately do not move the business state:
 * the orchestration error list and reprocess handle them. Business outcomes (validation failed, no
 * inventory) do.
 */
export const OUT_OF_BOX_EVENTS: readonly BusinessEventDefinition[] = [
  // order
  event('order', 'New Order', 'An order was created from an intake message or the direct API.'),
  event(
    'order',
    'Validation of Order Header has Succeeded',
    'The order header passed its validation policies.'
  ),
  event(
    'order',
    'Validation of Order Header has Failed',
    'The order header failed a critical validation policy.'
  ),
  event(
    'order',
    'Validation of Order Lines has Succeeded',
    'Every line passed validation (aggregated when all counted lines are in progress).'
  ),
  event(
    'order',
    'Fulfillment optimization request succeeded',
    'The optimizer planned sources for the order.'
  ),
  event('order', 'Fulfillment optimization request failed', 'The optimizer found no source for the order.'),
  event(
    'order',
    'Send Order to Fulfillment Determination Provider has Succeeded',
    'The order was handed to the fulfillment determination (optimization) provider.'
  ),
  event('order', 'On Hand Check Success', 'Inventory is available for the whole order.'),
  event('order', 'On Hand Check Failed', 'Inventory is missing for the order; it goes on backorder hold.'),
  event('order', 'Backorder Hold Applied', 'The order was put on backorder hold.'),
  event('order', 'Backorder Hold Released', 'The backorder hold was released (inventory arrived).'),
  event('order', 'Preorder Hold Applied', 'The order was put on preorder hold until launch.'),
  event('order', 'Preorder Hold Released', 'The preorder hold was released (the product launched).'),
  event(
    'order',
    'Order Header Ready to be Fulfilled',
    'The order can be fulfilled (aggregated when all counted lines are in fulfillment).'
  ),
  event(
    'order',
    'Send fulfillment process request has Succeeded',
    'The fulfillment process request was accepted.'
  ),
  event(
    'order',
    'Send fulfillment process request has Failed',
    'The fulfillment process request was refused.'
  ),
  event(
    'order',
    'Send Order to Fulfillment Provider has Succeeded',
    'The order was handed to the fulfillment provider.'
  ),
  event(
    'order',
    'Creation of Fulfillment Order Failed',
    'A fulfillment order could not be created for the order.'
  ),
  event(
    'order',
    'Billing of order confirmed by billing provider',
    'The billing provider confirmed the invoice.'
  ),
  event('order', 'Order Picked', 'The order was picked.'),
  event('order', 'Order Packed', 'The order was packed.'),
  event('order', 'Order Shipped', 'The order was shipped.'),
  event(
    'order',
    'Order Fulfilled',
    'The whole order was fulfilled (aggregated when all counted lines are completed).'
  ),
  event('order', 'Order Cancelled', 'The order was cancelled (aggregated when every line is cancelled).'),

  // orderLine
  event('orderLine', 'Validation of Order Line has Succeeded', 'The line passed its validation policies.'),
  event('orderLine', 'Validation of Order Line has Failed', 'The line failed a critical validation policy.'),
  event('orderLine', 'On Hand Check Success', 'Inventory is available for the line.'),
  event('orderLine', 'On Hand Check Failed', 'Inventory is missing for the line; it goes on backorder hold.'),
  event('orderLine', 'Backorder Hold Applied', 'The line was put on backorder hold.'),
  event('orderLine', 'Backorder Hold Released', 'The backorder hold on the line was released.'),
  event(
    'orderLine',
    'Preorder Hold Applied',
    'The line was put on preorder hold until the product launches.'
  ),
  event('orderLine', 'Preorder Hold Released', 'The preorder hold on the line was released.'),
  event(
    'orderLine',
    'Order Line Sent to Fulfillment',
    'The line is on a fulfillment order sent to a provider.'
  ),
  event('orderLine', 'Order Line Fulfilled', 'The whole line quantity was shipped.'),
  event('orderLine', 'Order Line Cancelled', 'The line was cancelled.'),

  // fulfillmentOrder
  event('fulfillmentOrder', 'Creation of Fulfillment Order Succeeded', 'A fulfillment order was created.'),
  event(
    'fulfillmentOrder',
    'Send Fulfillment Order to Fulfillment Provider has Succeeded',
    'The fulfillment provider accepted the fulfillment order.'
  ),
  event(
    'fulfillmentOrder',
    'Send Fulfillment Order to Fulfillment Provider has Failed',
    'The fulfillment provider refused the fulfillment order.'
  ),
  event('fulfillmentOrder', 'Fulfillment Order Picked', 'The warehouse picked the fulfillment order.'),
  event('fulfillmentOrder', 'Fulfillment Order Packed', 'The warehouse packed the fulfillment order.'),
  event(
    'fulfillmentOrder',
    'Fulfillment Order Shipped',
    'The fulfillment order shipped (aggregated when all counted lines are completed).'
  ),
  event(
    'fulfillmentOrder',
    'Fulfillment Order Cancelled',
    'The fulfillment order was cancelled (aggregated when every line is cancelled).'
  ),

  // fulfillmentOrderLine
  event(
    'fulfillmentOrderLine',
    'Creation of fulfillment line succeeded',
    'A fulfillment order line was created.'
  ),
  event(
    'fulfillmentOrderLine',
    'Send Fulfillment Order to Fulfillment Provider has Succeeded',
    'The line went to the fulfillment provider with its fulfillment order.'
  ),
  event('fulfillmentOrderLine', 'Fulfillment Order Line Picked', 'The warehouse picked the line.'),
  event('fulfillmentOrderLine', 'Fulfillment Order Line Packed', 'The warehouse packed the line.'),
  event('fulfillmentOrderLine', 'Fulfillment Order Line Shipped', 'The line shipped.'),
  event('fulfillmentOrderLine', 'Fulfillment Order Line Cancelled', 'The line was cancelled.'),

  // return
  event('return', 'Return Created', 'A return was created for lines of an order.'),
  event('return', 'Return Label Created', 'A return label was issued to the customer.'),
  event('return', 'Return Received', 'The returned goods arrived at the return location.'),
  event('return', 'Return Inspected', 'The returned goods were inspected and each line given a disposition.'),
  event('return', 'Return Refunded', 'The customer was refunded.'),
  event('return', 'Return Restocked', 'Returned units were put back on hand at the return location.'),
  event('return', 'Return Written Off', 'Returned units were written off (not put back on hand).'),
  event('return', 'Return Cancelled', 'The return was cancelled before the goods arrived.'),
];

function event(
  entityType: BusinessEventDefinition['entityType'],
  name: string,
  description: string
): BusinessEventDefinition {
  return { name, entityType, description };
}
