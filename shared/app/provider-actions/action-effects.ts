import { withExternalReference, type Order } from '../../domain/orders/order';
import type { ActionAnswer, ActionEffect } from '../../ports/provider-plugins';

/**
 * The changes an action's effects make to its order, applied to a fresh copy in the step's write:
 * tax on the lines and the tax document, external references (one per system). Undefined: none.
 */
export function orderChangesOf(
  answer: ActionAnswer,
  instanceId: string,
  at: Date
): ((order: Order) => void) | undefined {
  const changes = answer.effects.flatMap((effect) => orderChange(effect, instanceId, at) ?? []);
  if (changes.length === 0) return undefined;
  return (order) => changes.forEach((change) => change(order));
}

function orderChange(
  effect: ActionEffect,
  instanceId: string,
  at: Date
): ((order: Order) => void) | undefined {
  switch (effect.type) {
    case 'orderLineTax':
      return (order) => {
        const taxes = new Map(effect.lines.map((line) => [line.lineId, line.tax]));
        for (const line of order.lines) {
          const tax = taxes.get(line.lineId);
          if (tax !== undefined) line.tax = tax;
        }
        order.taxDocument = {
          instanceId,
          code: effect.documentCode,
          totalTax: effect.totalTax,
          at: at.toISOString(),
        };
      };
    case 'externalReference':
      return (order) => {
        order.externalReferences = withExternalReference(order.externalReferences, effect);
      };
    default:
      return undefined;
  }
}

/** The timeline's words for an action's answer: its detail and what each effect did. */
export function describeAnswer(instanceId: string, action: string, answer: ActionAnswer): string {
  const effects = answer.effects.map(describeEffect);
  return [`${instanceId}.${action}: ${answer.detail}`, ...effects].join('; ');
}

function describeEffect(effect: ActionEffect): string {
  switch (effect.type) {
    case 'orderLineTax':
      return `tax ${effect.totalTax} on ${effect.lines.length} lines (document ${effect.documentCode})`;
    case 'shipment':
      return `shipment ${effect.carrier} ${effect.trackingNumber}${effect.raiseShipped ? ' (shipped)' : ''}`;
    case 'externalReference':
      return `${effect.system} id ${effect.id}`;
    case 'record':
      return `${effect.name}: ${JSON.stringify(effect.data).slice(0, 500)}`;
  }
}
