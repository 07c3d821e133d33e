import type { JourneyAction } from '../../domain/journeys/journey';
import { runKey } from '../../domain/journeys/run-key';
import type { OrderReturn } from '../../domain/returns/order-return';
import type { ReturnAction } from './return-steps';

/** What the return journey's actions do, through the return use cases. */
export interface ReturnActionDeps {
  /** Queues the step's email to the order's customer (idempotent by key); false when it has no email. */
  email: (orderReturn: OrderReturn, templateId: string, key: string) => Promise<boolean>;
  /** Refunds the return once (a credit note); answers the credit note's id. */
  refund: (orderReturn: OrderReturn) => Promise<string>;
  /** Restocks or writes off each line not disposed yet. */
  dispose: (orderReturn: OrderReturn) => Promise<void>;
}

/**
 * The built-in actions of return journeys (JOURNEY_ACTIONS_BY_TYPE): email the customer (the
 * return instructions), send to invoice (the refund: a credit note), restock or write off, custom.
 */
export function returnActions(
  deps: ReturnActionDeps
): Readonly<Partial<Record<JourneyAction, ReturnAction>>> {
  return {
    sendEmail: async ({ orderReturn, step, runId }) => {
      const templateId = step.emailTemplateId ?? 'return-instructions';
      const sent = await deps.email(orderReturn, templateId, runKey(runId));
      return {
        outcome: 'succeeded',
        detail: sent ? `email ${templateId} queued` : 'no customer email: nothing sent',
      };
    },
    sendToInvoice: async ({ orderReturn }) => ({
      outcome: 'succeeded',
      detail: `credit note ${await deps.refund(orderReturn)}`,
    }),
    disposeReturn: async ({ orderReturn }) => {
      if (orderReturn.lines.some((l) => l.disposition === undefined)) {
        return {
          outcome: 'failed',
          reason: `return ${orderReturn.id} was not inspected: its lines have no disposition`,
        };
      }
      await deps.dispose(orderReturn);
      const done = orderReturn.lines.map(
        (l) => `${l.lineId}: ${l.quantity} ${l.disposition ?? 'no disposition'}`
      );
      return { outcome: 'succeeded', detail: done.join(', ') };
    },
    custom: () => Promise.resolve({ outcome: 'succeeded' }),
  };
}
