import { placeholderPage } from './page-placeholder.js';

export const ordersPage = placeholderPage(
  '/orders',
  'Orders',
  'Orders by external id, state, channel and date.'
);
