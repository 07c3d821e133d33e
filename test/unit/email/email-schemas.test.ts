import { runKey } from '../../../shared/domain/journeys/run-key';
import { queueEmailInputSchema } from '../../../shared/schemas/email.schema';
import { createInvoiceInputSchema } from '../../../shared/schemas/invoice.schema';
import { compileValidator } from '../../../shared/schemas/validator';
import { ValidationError } from '../../../shared/domain/errors';

const queueEmail = compileValidator<{ key: string }>(queueEmailInputSchema, 'email to queue');
const createInvoice = compileValidator<{ key: string }>(createInvoiceInputSchema, 'invoice');

it('takes every run key a journey step derives as an email or invoice key, a leading - or _ included', () => {
  // Run ids whose keys start with '-' and '_' (base64url), found by trying.
  const keys = Array.from({ length: 400 }, (_, i) =>
    runKey(`order:o-${i}:default-order/Send shipment email#${i}`)
  );
  const leading = keys.filter((k) => k.startsWith('-') || k.startsWith('_'));
  expect(leading.length).toBeGreaterThan(0);
  for (const key of [...leading, `${leading[0]!}-0`]) {
    expect(queueEmail({ key, orderId: 'O1', templateId: 'order-shipped', model: {} }).key).toBe(key);
    expect(createInvoice({ key, orderId: 'O1' }).key).toBe(key);
  }
});

it('still refuses keys that could not be part of a document id', () => {
  for (const key of ['', '.x', 'a/b', 'a b', 'x'.repeat(101)]) {
    let caught: unknown;
    try {
      queueEmail({ key, orderId: 'O1', templateId: 't', model: {} });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).errors.map((e) => e.path)).toEqual(['/key']);
  }
});
