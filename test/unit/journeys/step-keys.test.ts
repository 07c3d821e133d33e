import fc from 'fast-check';
import type { ValidationError } from '../../../shared/domain/errors';
import { runKey } from '../../../shared/domain/journeys/run-key';
import { queueEmailInputSchema } from '../../../shared/schemas/email.schema';
import { createInvoiceInputSchema } from '../../../shared/schemas/invoice.schema';
import { compileValidator } from '../../../shared/schemas/validator';

// Journey steps queue emails and invoices under keys derived from their run (runKey is base64url, so
// about one run in 32 has a key beginning with `-` or `_`): every such key must be accepted, or the
// step fails for that order alone.
const queueEmail = compileValidator(queueEmailInputSchema, 'email to queue');
const createInvoice = compileValidator(createInvoiceInputSchema, 'invoice request');

function stepKeysOf(runId: string): string[] {
  return [runKey(runId), `${runKey(runId)}-0`, `${runKey(runId)}-12`];
}

it('accepts the keys a run id gives, including those beginning with - or _', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 300 }), (runId) => {
      for (const key of stepKeysOf(runId)) {
        queueEmail({ key, orderId: 'order-1', templateId: 'order-shipped', model: {} });
        createInvoice({ key, orderId: 'order-1' });
      }
    }),
    { numRuns: 2000 }
  );
});

it('accepts a key beginning with a dash and one beginning with an underscore', () => {
  const runIds = Array.from(
    { length: 2000 },
    (_, i) => `order:o-${i}:default-order:Send shipment email:${i}`
  );
  const dashed = runIds.find((id) => runKey(id).startsWith('-'))!;
  const underscored = runIds.find((id) => runKey(id).startsWith('_'))!;
  for (const runId of [dashed, underscored]) {
    expect(() =>
      queueEmail({ key: runKey(runId), orderId: 'order-1', templateId: 'order-shipped', model: {} })
    ).not.toThrow();
    expect(() => createInvoice({ key: runKey(runId), orderId: 'order-1' })).not.toThrow();
  }
});

it('still refuses keys that could not be part of a document id', () => {
  for (const key of ['', '.x', 'a/b', 'a b', 'x'.repeat(101)]) {
    let refused: ValidationError | undefined;
    try {
      queueEmail({ key, orderId: 'order-1', templateId: 't', model: {} });
    } catch (err) {
      refused = err as ValidationError;
    }
    expect(refused?.errors.map((issue) => issue.path)).toEqual(['/key']);
  }
});
