import { ValidationError } from '../../domain/errors';
import type { FulfillmentOrder } from '../../domain/fulfillment-orders/fulfillment-order';
import type { Order } from '../../domain/orders/order';
import { toMinorUnits } from '../../domain/providers/minor-units';
import type { ProviderParameter } from '../../domain/providers/provider-definition';
import type { ActionSubject, ProviderConnection } from '../../ports/provider-plugins';

/** What carriers' label and rate calls need of a parcel and its two ends. */
export interface Address {
  name?: string;
  company?: string;
  phone?: string;
  email?: string;
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode: string;
  country: string;
}

export interface Parcel {
  weight: { value: number; unit: 'lb' | 'oz' | 'kg' | 'g' };
  dimensions?: { length: number; width: number; height: number; unit: 'in' | 'cm' };
}

/**
 * Where parcels leave from: one address per instance (the subject carries the source's id, not its
 * address), so a carrier account serving several warehouses takes one instance per warehouse.
 */
export const shipFromParameters: readonly ProviderParameter[] = [
  {
    name: 'shipFromName',
    description: 'Ship-from: contact or company name',
    type: 'string',
    required: false,
  },
  { name: 'shipFromCompany', description: 'Ship-from: company', type: 'string', required: false },
  { name: 'shipFromPhone', description: 'Ship-from: phone', type: 'string', required: false },
  { name: 'shipFromLine1', description: 'Ship-from: street', type: 'string', required: false },
  { name: 'shipFromLine2', description: 'Ship-from: street, second line', type: 'string', required: false },
  { name: 'shipFromCity', description: 'Ship-from: city', type: 'string', required: false },
  {
    name: 'shipFromState',
    description: 'Ship-from: state or province code',
    type: 'string',
    required: false,
  },
  { name: 'shipFromPostalCode', description: 'Ship-from: postal code', type: 'string', required: false },
  {
    name: 'shipFromCountry',
    description: 'Ship-from: ISO 3166-1 alpha-2 country code',
    type: 'string',
    required: false,
  },
];

/**
 * The parcel every rate and label call describes, until products' weights and sizes reach actions
 * (one package per fulfillment order).
 */
export function parcelParameters(defaults: { weight: number; weightUnit: string }): ProviderParameter[] {
  return [
    {
      name: 'packageWeight',
      description: 'Weight of one package, in weightUnit',
      type: 'integer',
      required: false,
      default: defaults.weight,
    },
    {
      name: 'weightUnit',
      description: 'Unit of packageWeight: lb, oz, kg or g',
      type: 'string',
      required: false,
      default: defaults.weightUnit,
    },
    { name: 'packageLength', description: 'Package length, in lengthUnit', type: 'integer', required: false },
    { name: 'packageWidth', description: 'Package width, in lengthUnit', type: 'integer', required: false },
    { name: 'packageHeight', description: 'Package height, in lengthUnit', type: 'integer', required: false },
    {
      name: 'lengthUnit',
      description: 'Unit of the package dimensions: in or cm',
      type: 'string',
      required: false,
      default: 'in',
    },
  ];
}

const weightUnits = ['lb', 'oz', 'kg', 'g'] as const;
const lengthUnits = ['in', 'cm'] as const;

/** The parcel of the instance's parameters; a wrong unit or a missing weight is a ValidationError. */
export function parcelOf(connection: ProviderConnection): Parcel {
  const p = connection.parameters;
  const weightUnit = String(p.weightUnit ?? 'lb');
  const weight = Number(p.packageWeight);
  const issues = [];
  if (!(weightUnits as readonly string[]).includes(weightUnit)) {
    issues.push({ path: '/parameters/weightUnit', message: 'must be lb, oz, kg or g' });
  }
  if (!Number.isFinite(weight) || weight <= 0) {
    issues.push({ path: '/parameters/packageWeight', message: 'must be a positive weight' });
  }
  const sizes = [p.packageLength, p.packageWidth, p.packageHeight].map(Number);
  const lengthUnit = String(p.lengthUnit ?? 'in');
  const sized = sizes.every((size) => Number.isFinite(size) && size > 0);
  if (sized && !(lengthUnits as readonly string[]).includes(lengthUnit)) {
    issues.push({ path: '/parameters/lengthUnit', message: 'must be in or cm' });
  }
  if (issues.length > 0) throw new ValidationError('The package parameters are not valid.', issues);
  const [length = 0, width = 0, height = 0] = sizes;
  return {
    weight: { value: weight, unit: weightUnit as Parcel['weight']['unit'] },
    ...(sized ? { dimensions: { length, width, height, unit: lengthUnit as 'in' | 'cm' } } : {}),
  };
}

/** The instance's ship-from address; its required parts missing is a ValidationError. */
export function shipFromOf(connection: ProviderConnection): Address {
  const text = (name: string): string | undefined => {
    const value = connection.parameters[name];
    return value === undefined || String(value).trim() === '' ? undefined : String(value).trim();
  };
  const missing = ['shipFromName', 'shipFromLine1', 'shipFromCity', 'shipFromPostalCode', 'shipFromCountry']
    .filter((name) => text(name) === undefined)
    .map((name) => ({ path: `/parameters/${name}`, message: 'is required to ship' }));
  if (missing.length > 0) throw new ValidationError('The ship-from address is incomplete.', missing);
  return compact({
    name: text('shipFromName'),
    company: text('shipFromCompany'),
    phone: text('shipFromPhone'),
    line1: text('shipFromLine1'),
    line2: text('shipFromLine2'),
    city: text('shipFromCity'),
    state: text('shipFromState'),
    postalCode: text('shipFromPostalCode')!,
    country: text('shipFromCountry')!,
  });
}

/** The fulfillment order an action on `subject` ships, with its orders; other subjects are refused. */
export function fulfillmentOrderOf(
  subject: ActionSubject,
  action: string
): { fulfillmentOrder: FulfillmentOrder; orders: Order[] } {
  if (subject.type !== 'fulfillmentOrder') {
    throw new ValidationError(`${action} acts on a fulfillment order, not on an ${subject.type}.`, [
      { path: '/providerAction/action', message: 'belongs on a fulfillment order journey step' },
    ]);
  }
  return { fulfillmentOrder: subject.fulfillmentOrder, orders: subject.orders };
}

/** Where the fulfillment order goes, named after the customer of its first order. */
export function shipToOf(fulfillmentOrder: FulfillmentOrder, orders: readonly Order[]): Address {
  const first = orders.find((order) => order.orderId === fulfillmentOrder.orderIds[0]) ?? orders[0];
  const { shipTo } = fulfillmentOrder;
  return compact({
    name: first?.customer.name,
    email: first?.customer.email,
    line1: shipTo.line1,
    line2: shipTo.line2,
    city: shipTo.city,
    state: shipTo.state,
    postalCode: shipTo.postalCode,
    country: shipTo.country,
  });
}

/** `now` as the calendar date (UTC) carriers take as a ship date. */
export function shipDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A carrier's cost (decimal text or number) in minor units; one that is not an exact amount of the
 * currency, or has no currency, is left out rather than failing the shipment it describes.
 */
export function costInMinorUnits(value: unknown, currency: string): number | undefined {
  if (value === undefined || value === null || currency === '') return undefined;
  try {
    return toMinorUnits(value, currency);
  } catch {
    return undefined;
  }
}
