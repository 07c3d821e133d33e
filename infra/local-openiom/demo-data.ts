/**
 * The demo data `npm start` seeds (OPENIOM_SEED_DEMO, default true): a few products, sources at real
 * US locations with stock, and a default fulfillment strategy, so a new user can post an order and
 * ask for a plan straight away. Seeded into an empty store only (see seed-demo.ts). Beside it, a
 * Shopify-style provider instance `demo-shop` a user can send signed webhooks and drop order files
 * to, seeded when there is none of that id.
 */

export interface DemoRequest {
  method: 'PUT' | 'POST';
  path: string;
  body: unknown;
  /** What the seed log says it made. */
  what: string;
}

const products = [
  { sku: 'TSHIRT-BLK-M', name: 'T-shirt, black, M', unit: 'each', weight: { value: 180, unit: 'g' } },
  { sku: 'HOODIE-GRY-L', name: 'Hoodie, grey, L', unit: 'each', weight: { value: 650, unit: 'g' } },
  { sku: 'MUG-WHT', name: 'Mug, white', unit: 'each', weight: { value: 350, unit: 'g' } },
  { sku: 'CAP-NVY', name: 'Cap, navy', unit: 'each', weight: { value: 120, unit: 'g' } },
  {
    sku: 'SNEAKER-2027',
    name: 'Sneaker, 2027 edition',
    unit: 'each',
    preorder: { launchDate: '2027-03-01' },
  },
];

const sources = [
  {
    id: 'NYC-DC',
    name: 'New York DC',
    type: 'warehouse',
    postalCode: '10001',
    priority: 1,
    acceptsReturns: true,
  },
  {
    id: 'CHI-DC',
    name: 'Chicago DC',
    type: 'warehouse',
    postalCode: '60601',
    priority: 1,
    acceptsReturns: true,
  },
  { id: 'DAL-3PL', name: 'Dallas 3PL', type: '3pl', postalCode: '75201', priority: 2, acceptsReturns: false },
  {
    id: 'LA-STORE',
    name: 'Los Angeles store',
    type: 'store',
    postalCode: '90012',
    priority: 3,
    acceptsReturns: true,
  },
  {
    id: 'SEA-STORE',
    name: 'Seattle store',
    type: 'store',
    postalCode: '98101',
    priority: 3,
    acceptsReturns: true,
  },
];

/** Units on hand per source, per SKU: uneven on purpose, so the optimizer has choices to make. */
const onHand: Record<string, Record<string, number>> = {
  'TSHIRT-BLK-M': { 'NYC-DC': 120, 'CHI-DC': 80, 'DAL-3PL': 300, 'LA-STORE': 12, 'SEA-STORE': 5 },
  'HOODIE-GRY-L': { 'NYC-DC': 40, 'CHI-DC': 0, 'DAL-3PL': 90, 'LA-STORE': 6, 'SEA-STORE': 8 },
  'MUG-WHT': { 'NYC-DC': 200, 'CHI-DC': 150, 'DAL-3PL': 0, 'LA-STORE': 0, 'SEA-STORE': 20 },
  'CAP-NVY': { 'NYC-DC': 0, 'CHI-DC': 60, 'DAL-3PL': 25, 'LA-STORE': 10, 'SEA-STORE': 0 },
};

export function demoRequests(): DemoRequest[] {
  return [
    ...products.map(({ sku, ...body }) => ({
      method: 'PUT' as const,
      path: `/api/v1/products/${sku}`,
      body,
      what: `product ${sku}`,
    })),
    ...sources.map(({ id, postalCode, ...rest }) => ({
      method: 'PUT' as const,
      path: `/api/v1/sources/${id}`,
      body: {
        ...rest,
        address: { postalCode, country: 'US' },
        online: true,
        timeZone: 'America/New_York',
        safetyStock: rest.type === 'store' ? 2 : 0,
        cutoffTime: '16:00',
        costs: { perShipment: 600, perUnit: 50, perKm: 1 },
      },
      what: `source ${id}`,
    })),
    {
      method: 'POST',
      path: '/api/v1/inventory/onhand/set',
      body: Object.entries(onHand).flatMap(([sku, bySource]) =>
        Object.entries(bySource).map(([sourceId, quantity]) => ({
          sku,
          sourceId,
          measure: 'onhand',
          quantity,
        }))
      ),
      what: 'on-hand stock',
    },
    {
      method: 'PUT',
      path: '/api/v1/fulfillment/strategies/default',
      body: {
        name: 'Nearest, fewest shipments',
        isDefault: true,
        objective: 'distance',
        constraints: [
          { type: 'maxDistanceKm', value: 3000, hard: false },
          { type: 'maxSourcesPerOrder', value: 2, hard: false },
          { type: 'allowPartialLine', value: true, hard: true },
          { type: 'useSafetyStock', value: true, hard: true },
        ],
      },
      what: 'default fulfillment strategy',
    },
  ];
}

/** The provider instance (and its mapping group) of the demo store. */
export const demoShopId = 'demo-shop';

/** The demo store's SKUs → the demo products: its orders name these, ours are mapped from them. */
export const demoShopSkus: Record<string, string> = {
  'SHOP-TSHIRT-M': 'TSHIRT-BLK-M',
  'SHOP-HOODIE-L': 'HOODIE-GRY-L',
  'SHOP-MUG': 'MUG-WHT',
  'SHOP-CAP': 'CAP-NVY',
};

/**
 * The demo store: a Shopify instance that takes webhooks signed with `webhookSecret`
 * (OPENIOM_DEMO_SHOP_WEBHOOK_SECRET) and order files, and does not poll (there is no store behind it).
 */
export function demoShopRequests(webhookSecret: string | undefined): DemoRequest[] {
  return [
    {
      method: 'PUT',
      path: `/api/v1/mapping-groups/${demoShopId}`,
      body: {
        name: 'Demo shop SKUs',
        mappings: Object.entries(demoShopSkus).map(([external, internal]) => ({
          type: 'sku',
          external,
          internal,
        })),
      },
      what: `mapping group ${demoShopId}`,
    },
    {
      method: 'PUT',
      path: `/api/v1/provider-instances/${demoShopId}`,
      body: {
        provider: 'shopify',
        name: 'Demo shop',
        active: true,
        parameters: { shopUrl: `https://${demoShopId}.myshopify.com`, polling: false },
        ...(webhookSecret ? { secrets: { webhookSecret } } : {}),
        mappingGroupId: demoShopId,
      },
      what: `provider instance ${demoShopId}`,
    },
  ];
}
