/**
 * A local stand-in for the Adobe Commerce (Magento) REST orders search, as documented in "Search using
 * REST endpoints": Bearer auth, searchCriteria filter groups (filters in a group OR, groups AND), sort
 * orders, pageSize/currentPage and `{items, search_criteria, total_count}`. Dates are written the way
 * Magento stores them, "YYYY-MM-DD HH:MM:SS" in UTC.
 *
 * Past the last page the answer repeats the last page: the docs leave this open and older versions are
 * reported to do it, so a client has to stop by total_count. The 429 body is the one documented for the
 * optional backpressure limiter; core Magento has no general REST throttling.
 */
import {
  cloneJson,
  header,
  jsonReply,
  readProviderPayload,
  scalarText,
  serveLocally,
  type IncomingRequest,
  type Reply,
  type RequestLogEntry,
} from './request-log';

export interface AdobeCommerceOrder {
  entity_id: number;
  increment_id: string;
  created_at: string;
  updated_at: string;
  state: string;
  status: string;
  items: Record<string, unknown>[];
  [field: string]: unknown;
}

export interface AdobeCommerceOrdersOptions {
  startId?: number;
  /** updated_at/created_at of the first order; later orders follow 1 s apart. */
  startUpdatedAt?: string | Date;
}

/** "2024-01-01 00:00:00": Magento's UTC date format. */
export function magentoDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Orders cloned from the docs' GET /V1/orders/3 example with fresh entity, item ids and times. */
export function adobeCommerceOrders(
  count: number,
  options: AdobeCommerceOrdersOptions = {}
): AdobeCommerceOrder[] {
  const template = JSON.parse(
    readProviderPayload('adobe-commerce/rest-v1-get-order.response.trimmed.json')
  ) as AdobeCommerceOrder;
  const startId = options.startId ?? 1;
  const start = new Date(options.startUpdatedAt ?? '2024-01-01T00:00:00Z').getTime();
  const orders: AdobeCommerceOrder[] = [];
  for (let i = 0; i < count; i++) {
    const id = startId + i;
    const date = magentoDate(new Date(start + i * 1000));
    // Item ids are unique per store; the example's ids (3..11) are kept apart per order by an offset.
    const itemId = (value: unknown): unknown => (typeof value === 'number' ? id * 100 + value : value);
    const renumber = (value: unknown, key?: string): unknown => {
      if (Array.isArray(value)) return value.map((element) => renumber(element));
      if (value === null || typeof value !== 'object') {
        if (key === 'order_id' || key === 'parent_id') return typeof value === 'number' ? id : value;
        if (key === 'item_id' || key === 'parent_item_id' || key === 'order_item_id') return itemId(value);
        return value;
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renumber(v, k)]));
    };
    const order = renumber(cloneJson(template)) as AdobeCommerceOrder;
    order.entity_id = id;
    order.increment_id = String(id).padStart(9, '0');
    order.created_at = date;
    order.updated_at = date;
    orders.push(order);
  }
  return orders;
}

export interface AdobeCommerceServerOptions {
  storeCode?: string;
  token?: string;
  orders?: AdobeCommerceOrder[] | number;
}

export interface AdobeCommerceServer {
  url: string;
  storeCode: string;
  token: string;
  requests: RequestLogEntry[];
  orders: AdobeCommerceOrder[];
  /** The next `count` requests answer 429. */
  inject429(count: number): void;
  close(): Promise<void>;
}

interface Filter {
  field: string;
  value: string;
  condition_type: string;
}

interface SearchCriteria {
  filter_groups: { filters: Filter[] }[];
  sort_orders?: { field: string; direction: string }[];
  page_size?: number;
  current_page?: number;
}

/** Reads searchCriteria[...] bracket parameters into Magento's search_criteria object. */
function parseSearchCriteria(params: URLSearchParams): SearchCriteria | string {
  const groups: Record<string, Record<string, Partial<Filter>>> = {};
  const sorts: Record<string, { field?: string; direction?: string }> = {};
  const criteria: SearchCriteria = { filter_groups: [] };
  for (const [name, value] of params) {
    if (!name.startsWith('searchCriteria')) continue;
    let match =
      /^searchCriteria\[filter_groups\]\[(\d+)\]\[filters\]\[(\d+)\]\[(field|value|condition_type)\]$/.exec(
        name
      );
    if (match) {
      const [, group = '', filter = '', part = ''] = match;
      const filters = (groups[group] ??= {});
      (filters[filter] ??= {})[part as keyof Filter] = value;
      continue;
    }
    match = /^searchCriteria\[sortOrders\]\[(\d+)\]\[(field|direction)\]$/.exec(name);
    if (match) {
      const [, index = '', part = ''] = match;
      (sorts[index] ??= {})[part as 'field' | 'direction'] = value;
      continue;
    }
    if (name === 'searchCriteria[pageSize]') {
      criteria.page_size = Number(value);
      continue;
    }
    if (name === 'searchCriteria[currentPage]') {
      criteria.current_page = Number(value);
      continue;
    }
    if (name === 'searchCriteria') continue;
    return `"${name}" is not a recognised search criteria parameter.`;
  }
  const byIndex = <T>(record: Record<string, T>): T[] =>
    Object.keys(record)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => record[key] as T);
  for (const group of byIndex(groups)) {
    const filters: Filter[] = [];
    for (const filter of byIndex(group)) {
      if (filter.field === undefined) return '"field" is required for every filter.';
      filters.push({
        field: filter.field,
        value: filter.value ?? '',
        condition_type: filter.condition_type ?? 'eq',
      });
    }
    criteria.filter_groups.push({ filters });
  }
  const sortOrders = byIndex(sorts).map((sort) => ({
    field: sort.field ?? '',
    direction: (sort.direction ?? 'ASC').toUpperCase(),
  }));
  if (sortOrders.length > 0) criteria.sort_orders = sortOrders;
  return criteria;
}

function compareValues(a: unknown, b: string): number {
  const left = scalarText(a);
  const x = Number(left);
  const y = Number(b);
  if (left !== '' && b !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return left < b ? -1 : left > b ? 1 : 0;
}

function likeMatches(value: unknown, pattern: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/%/g, '.*')
      .replace(/_/g, '.')}$`,
    'i'
  );
  return regex.test(scalarText(value));
}

function filterMatches(order: AdobeCommerceOrder, filter: Filter): boolean | string {
  const value = order[filter.field];
  const list = filter.value.split(',');
  switch (filter.condition_type) {
    case 'eq':
      return compareValues(value, filter.value) === 0;
    case 'neq':
      return compareValues(value, filter.value) !== 0;
    case 'gt':
      return compareValues(value, filter.value) > 0;
    case 'gteq':
    case 'moreq':
    case 'from':
      return compareValues(value, filter.value) >= 0;
    case 'lt':
      return compareValues(value, filter.value) < 0;
    case 'lteq':
    case 'to':
      return compareValues(value, filter.value) <= 0;
    case 'in':
      return list.some((element) => compareValues(value, element) === 0);
    case 'nin':
      return !list.some((element) => compareValues(value, element) === 0);
    case 'like':
      return likeMatches(value, filter.value);
    case 'nlike':
      return !likeMatches(value, filter.value);
    case 'null':
      return value === null || value === undefined;
    case 'notnull':
      return value !== null && value !== undefined;
    case 'finset':
      return scalarText(value).split(',').includes(filter.value);
    case 'nfinset':
      return !scalarText(value).split(',').includes(filter.value);
    default:
      return `Invalid condition type "${filter.condition_type}".`;
  }
}

export async function startAdobeCommerceServer(
  options: AdobeCommerceServerOptions = {}
): Promise<AdobeCommerceServer> {
  const storeCode = options.storeCode ?? 'default';
  const token = options.token ?? 'local-adobe-commerce-token';
  const orders = Array.isArray(options.orders) ? options.orders : adobeCommerceOrders(options.orders ?? 0);
  let injected = 0;

  function searchOrders(url: URL): Reply {
    const criteria = parseSearchCriteria(url.searchParams);
    if (typeof criteria === 'string') return jsonReply(400, { message: criteria });
    let matching = orders;
    for (const group of criteria.filter_groups) {
      const kept: AdobeCommerceOrder[] = [];
      for (const order of matching) {
        let any = false;
        for (const filter of group.filters) {
          const result = filterMatches(order, filter);
          if (typeof result === 'string') return jsonReply(400, { message: result });
          any ||= result;
        }
        if (any || group.filters.length === 0) kept.push(order);
      }
      matching = kept;
    }
    const sorts = criteria.sort_orders ?? [];
    matching = [...matching].sort((a, b) => {
      for (const sort of sorts) {
        const difference = compareValues(a[sort.field], scalarText(b[sort.field]));
        if (difference !== 0) return sort.direction === 'DESC' ? -difference : difference;
      }
      return a.entity_id - b.entity_id;
    });
    const total = matching.length;
    let items = matching;
    if (criteria.page_size !== undefined && criteria.page_size > 0) {
      const pages = Math.max(1, Math.ceil(total / criteria.page_size));
      // Older versions answer a page past the end with the last page again.
      const page = Math.min(Math.max(1, criteria.current_page ?? 1), pages);
      items = matching.slice((page - 1) * criteria.page_size, page * criteria.page_size);
    }
    return jsonReply(200, { items, search_criteria: criteria, total_count: total });
  }

  function handle(request: IncomingRequest): Reply {
    const authorization = header(request.headers, 'authorization');
    if (authorization !== `Bearer ${token}`) {
      return jsonReply(401, {
        message: "The consumer isn't authorized to access %resources.",
        parameters: { resources: 'Magento_Sales::actions_view' },
      });
    }
    if (injected > 0) {
      injected--;
      return jsonReply(429, { message: 'Too Many Requests', trace: null });
    }
    const match = /^\/rest(?:\/([^/]+))?\/V1\/orders(?:\/(\d+))?\/?$/.exec(request.url.pathname);
    const store = match?.[1] ?? 'default';
    if (request.method !== 'GET' || !match || (store !== storeCode && store !== 'all')) {
      return jsonReply(404, { message: 'Request does not match any route.' });
    }
    if (match[2] === undefined) return searchOrders(request.url);
    const order = orders.find((candidate) => candidate.entity_id === Number(match[2]));
    return order
      ? jsonReply(200, order)
      : jsonReply(404, {
          message: "The entity that was requested doesn't exist. Verify the entity and try again.",
        });
  }

  const server = await serveLocally(handle);
  return {
    url: server.url,
    storeCode,
    token,
    requests: server.requests,
    orders,
    inject429(count: number) {
      injected = count;
    },
    close: () => server.close(),
  };
}
