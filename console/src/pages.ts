import { alertsPage } from './page-alerts.js';
import { dashboardPage } from './page-dashboard.js';
import { errorsPage } from './page-errors.js';
import { inventoryPage } from './page-inventory.js';
import { journeyPage, journeysPage } from './page-journeys.js';
import { orderPage } from './page-order.js';
import { ordersPage } from './page-orders.js';
import { providersPage } from './page-providers.js';
import type { PageRoute } from './router.js';

/**
 * The console's pages and its navigation. A page is a `PageRoute` in a `page-*.ts` file of its own;
 * add it to `routes`, and to `navigation` when it has a top-level entry (console/README.md).
 */
export const routes: readonly PageRoute[] = [
  dashboardPage,
  ordersPage,
  orderPage,
  errorsPage,
  journeysPage,
  journeyPage,
  inventoryPage,
  providersPage,
  alertsPage,
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

/** Where `/` (an empty hash) goes: the dashboard, from which every count leads to what it counts. */
export const homePath = '/dashboard';
