import { errorsPage } from './page-errors.js';
import { orderPage } from './page-order.js';
import { ordersPage } from './page-orders.js';
import { placeholderPage } from './page-placeholder.js';
import type { PageRoute } from './router.js';

/**
 * The console's pages and its navigation. A page is a `PageRoute` in a `page-*.ts` file of its own;
 * add it to `routes`, and to `navigation` when it has a top-level entry (console/README.md).
 */
export const routes: readonly PageRoute[] = [
  ordersPage,
  orderPage,
  errorsPage,
  placeholderPage('/dashboard', 'Dashboard', 'Orders by state, errors and alerts at a glance.'),
  placeholderPage('/journeys', 'Journeys', 'Journeys with their steps drawn, versions and publishing.'),
  // The order page links an order's journey here.
  placeholderPage('/journeys/:journeyId', 'Journey', 'One journey: its steps drawn, its versions.'),
  placeholderPage('/inventory', 'Inventory', 'Inventory by SKU and source, available-to-promise and holds.'),
  placeholderPage(
    '/providers',
    'Providers',
    'Provider instances, mapping groups and transformation previews.'
  ),
  placeholderPage('/alerts', 'Alerts', 'Raised alerts and their acknowledgement.'),
];

/** The top-level entries, in the order the navigation shows them. */
export const navigation: readonly { label: string; path: string }[] = [
  { label: 'Dashboard', path: '/dashboard' },
  { label: 'Orders', path: '/orders' },
  { label: 'Errors', path: '/errors' },
  { label: 'Journeys', path: '/journeys' },
  { label: 'Inventory', path: '/inventory' },
  { label: 'Providers', path: '/providers' },
  { label: 'Alerts', path: '/alerts' },
];

/** Where `/` (an empty hash) goes. */
export const homePath = '/orders';
