import { ValidationError, type ValidationIssue } from '../errors';

export const sourceTypes = ['warehouse', 'store', '3pl'] as const;
export type SourceType = (typeof sourceTypes)[number];

export interface SourceAddress {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode: string;
  country: string;
}

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Working days (ISO weekday numbers, 1 = Monday … 7 = Sunday) and dated exceptions. */
export interface WorkingCalendar {
  workingDays: number[];
  /** ISO dates (YYYY-MM-DD, in the source's time zone) the source does not ship. */
  holidays: string[];
}

/** What shipping from a source costs, in the currency's minor units. */
export interface SourceCosts {
  perShipment?: number;
  perUnit?: number;
  perKm?: number;
}

/** What a client sends to `PUT /api/v1/sources/{sourceId}` (docs/api.md). */
export interface SourceInput {
  name: string;
  type: SourceType;
  address: SourceAddress;
  /** Omitted: geocoded offline from the address's postal code; a code that does not geocode is refused. */
  location?: GeoPoint;
  online: boolean;
  /** IANA time zone of the source's clock (cut-off and calendar); default `UTC`. */
  timeZone?: string;
  /** Units of every SKU held back at this source; default 0. */
  safetyStock?: number;
  /** `HH:mm` in the source's time zone: lines after it ship on the next working day. */
  cutoffTime?: string;
  calendar?: Partial<WorkingCalendar>;
  maxOrderLinesPerDay?: number;
  /** 1 is the highest; default 100 (lowest of the usual range). */
  priority?: number;
  costs?: SourceCosts;
  /** Whether returns may be sent here; default false. */
  acceptsReturns?: boolean;
}

/** A source (warehouse, store, 3PL) as stored in the `catalog` container under `source:{id}`. */
export interface Source {
  id: string;
  name: string;
  type: SourceType;
  address: SourceAddress;
  /** Always known once stored: given, or geocoded from the postal code (`geocoded: true`). */
  location: GeoPoint & { geocoded: boolean };
  online: boolean;
  timeZone: string;
  safetyStock: number;
  cutoffTime?: string;
  calendar: WorkingCalendar;
  maxOrderLinesPerDay?: number;
  priority: number;
  costs: SourceCosts;
  acceptsReturns: boolean;
  createdAt: string;
  updatedAt: string;
}

export const defaultSourcePriority = 100;
const everyDay = [1, 2, 3, 4, 5, 6, 7];

/** Looks a postal code up offline: its point, or undefined when it cannot be placed. */
export type Geocoder = (postalCode: string, country: string) => GeoPoint | undefined;

/**
 * The source `input` describes under `id`, replacing `existing` (its createdAt is kept). Throws a
 * ValidationError listing every rule broken; the input is assumed to have passed the source schema.
 */
export function sourceFromInput(
  id: string,
  input: SourceInput,
  existing: Source | undefined,
  geocode: Geocoder,
  now: Date
): Source {
  const issues: ValidationIssue[] = [];
  let location: Source['location'] | undefined;
  if (input.location !== undefined) {
    location = { lat: input.location.lat, lon: input.location.lon, geocoded: false };
  } else {
    const point = geocode(input.address.postalCode, input.address.country);
    if (point === undefined) {
      issues.push({
        path: '/address/postalCode',
        message: `cannot be geocoded (${input.address.country} ${input.address.postalCode}); give location {lat, lon}`,
      });
    } else {
      location = { ...point, geocoded: true };
    }
  }
  const workingDays = [...new Set(input.calendar?.workingDays ?? everyDay)].sort((a, b) => a - b);
  if (workingDays.length === 0) issues.push({ path: '/calendar/workingDays', message: 'has no working day' });
  if (issues.length > 0 || location === undefined)
    throw new ValidationError('The source is not valid.', issues);

  const at = now.toISOString();
  return {
    id,
    name: input.name,
    type: input.type,
    address: { ...input.address },
    location,
    online: input.online,
    timeZone: input.timeZone ?? 'UTC',
    safetyStock: input.safetyStock ?? 0,
    ...(input.cutoffTime === undefined ? {} : { cutoffTime: input.cutoffTime }),
    calendar: { workingDays, holidays: [...new Set(input.calendar?.holidays ?? [])].sort() },
    ...(input.maxOrderLinesPerDay === undefined ? {} : { maxOrderLinesPerDay: input.maxOrderLinesPerDay }),
    priority: input.priority ?? defaultSourcePriority,
    costs: { ...input.costs },
    acceptsReturns: input.acceptsReturns ?? false,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}
