import type { Order } from '../orders/order';

/**
 * The built-in checks of the order header step, beyond what the intake schema already ensured
 * (execution policies add a business's own): someone to fulfill for and somewhere to ship to. Each
 * issue names the field.
 */
export function headerValidationIssues(order: Pick<Order, 'customer' | 'shipTo'>): string[] {
  const issues: string[] = [];
  const { customer, shipTo } = order;
  if (!customer.email?.trim() && !customer.name?.trim() && !customer.accountId?.trim()) {
    issues.push('customer: needs an email, a name or an account id');
  }
  if (!shipTo.postalCode.trim()) issues.push('shipTo.postalCode: is empty');
  return issues;
}
