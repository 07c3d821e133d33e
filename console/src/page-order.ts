import { placeholderPage } from './page-placeholder.js';

export const orderPage = placeholderPage('/orders/:orderId', 'Order', 'One order.');
