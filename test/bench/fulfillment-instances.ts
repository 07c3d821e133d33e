/**
 * Seeded fulfillment instances on real US places (the `zipcodes` table): sources at real city
 * locations, ship-to addresses at real postal codes, orders of 1–10 lines, SKUs with Zipf-skewed
 * popularity, uneven stock (popular SKUs at more sources, quantities varying ×0.2–1.8 around a share
 * of expected demand, so some SKUs run short). Same seed, same instance.
 */
import zipcodes from 'zipcodes';
import type { PlanningProblem, SourcingSource } from '../../shared/domain/fulfillment/planning-problem';

export interface InstanceSpec {
  lines: number;
  sources: number;
  seed: number;
}

/** mulberry32: small, fast, good enough for benchmark data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place {
  zip: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
}

let places: Place[] | undefined;

/** Every US postal code of the table with coordinates in the contiguous states, sorted by code. */
function usPlaces(): Place[] {
  places ??= Object.values(zipcodes.codes)
    .filter(
      (z) =>
        z.country === 'US' &&
        Number.isFinite(z.latitude) &&
        Number.isFinite(z.longitude) &&
        z.latitude > 24 &&
        z.latitude < 50 &&
        z.longitude > -125 &&
        z.longitude < -66
    )
    .map((z) => ({ zip: z.zip, city: z.city, state: z.state, lat: z.latitude, lon: z.longitude }))
    .sort((a, b) => (a.zip < b.zip ? -1 : 1));
  return places;
}

export function generateInstance(spec: InstanceSpec, now: Date): PlanningProblem {
  const random = seededRandom(spec.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const all = usPlaces();

  // Sources: distinct cities.
  const cities = new Map<string, Place>();
  while (cities.size < spec.sources) {
    const place = pick(all);
    const key = `${place.city}, ${place.state}`;
    if (!cities.has(key)) cities.set(key, place);
  }
  const sources: SourcingSource[] = [...cities.entries()].map(([name, place], i) => ({
    id: `src-${String(i).padStart(3, '0')}-${name.replace(/[^A-Za-z]/g, '').slice(0, 12)}`,
    location: { lat: place.lat, lon: place.lon, geocoded: true },
    online: true,
    timeZone: 'UTC',
    safetyStock: 0,
    calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
    priority: 1,
    costs: {},
    acceptsReturns: true,
  }));

  // SKUs with Zipf(1.1) popularity.
  const skuCount = Math.max(20, Math.round(spec.lines / 4));
  const weights = Array.from({ length: skuCount }, (_, k) => 1 / (k + 1) ** 1.1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, w, k) => (cumulative[k] = sum + w / totalWeight), 0);
  const drawSku = () => {
    const r = random();
    const k = cumulative.findIndex((c) => c >= r);
    return k === -1 ? skuCount - 1 : k;
  };

  // Orders of 1–10 lines (small ones more likely), distinct SKUs per order, 1–3 units per line.
  const orders: PlanningProblem['orders'] = [];
  const demand = new Array<number>(skuCount).fill(0);
  let lines = 0;
  while (lines < spec.lines) {
    const size = Math.min(spec.lines - lines, 1 + Math.min(9, Math.floor(-Math.log(1 - random()) * 2.5)));
    const skus = new Set<number>();
    while (skus.size < Math.min(size, skuCount)) skus.add(drawSku());
    const place = pick(all);
    orders.push({
      orderId: `ord-${orders.length}`,
      shipTo: { lat: place.lat, lon: place.lon },
      lines: [...skus].map((k, j) => {
        const quantity = 1 + Math.floor(random() * 3);
        demand[k]! += quantity;
        return { lineId: String(j + 1), sku: `SKU-${String(k).padStart(4, '0')}`, quantity };
      }),
    });
    lines += skus.size;
  }

  // Uneven stock: a SKU of popularity rank k is held by a share of sources falling with k.
  const stock: PlanningProblem['stock'] = [];
  for (let k = 0; k < skuCount; k++) {
    const share = 0.15 + 0.6 * (1 - k / skuCount);
    // At most one holder per ~2 units of stock, so that sparse SKUs are not rounded away.
    const supply = demand[k]! * 1.4 + 2;
    const holders = sources.filter(() => random() < share).slice(0, Math.max(1, Math.floor(supply / 2)));
    if (holders.length === 0) holders.push(pick(sources));
    const perHolder = supply / holders.length;
    for (const source of holders) {
      const quantity = Math.round(perHolder * (0.2 + 1.6 * random()));
      if (quantity > 0)
        stock.push({ sku: `SKU-${String(k).padStart(4, '0')}`, sourceId: source.id, quantity });
    }
  }
  return { orders, sources, stock, now };
}
