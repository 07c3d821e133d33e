import type { OrderIntake } from '../domain/orders/order';
import type { StockLevel } from '../domain/fulfillment/planning-problem';

/** An address as plan and return requests give it: coordinates, or a postal code to geocode (an order's ship-to). */
export type AddressWithPoint = OrderIntake['shipTo'];

/** The body of `POST /api/v1/fulfillment/plan` (shared/schemas/fulfillment-plan.schema.ts). */
export interface PlanRequest {
  strategyId?: string;
  shipTo: AddressWithPoint;
  lines: { lineId: string; sku: string; quantity: number }[];
  /** What-if stock per (sku, source): replaces the inventory store for this plan. */
  inventory?: StockLevel[];
}

/** The journey activity's other input: a stored order. */
export interface PlanOrderInput {
  orderId: string;
  strategyId?: string;
}

/** The body of `POST /api/v1/returns/locations` (shared/schemas/return-location.schema.ts). */
export interface ReturnLocationRequest {
  strategyId?: string;
  shipFrom: AddressWithPoint;
  lines: { lineId?: string; sku: string; quantity: number }[];
}
