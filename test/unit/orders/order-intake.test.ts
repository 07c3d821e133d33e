import { ValidationError } from '../../../shared/domain/errors';
import { newOrder, type OrderIntake } from '../../../shared/domain/orders/order';
import { orderIntakeSchema } from '../../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../../shared/schemas/validator';

const validate = compileValidator<OrderIntake>(orderIntakeSchema(3), 'order');
const now = new Date('2026-01-01T00:00:00.000Z');
const intake: OrderIntake = {
  externalId: 'x-1',
  currency: 'EUR',
  customer: { email: 'a@b.de' },
  shipTo: { postalCode: '10115', country: 'DE' },
  lines: [
    { sku: 'A', quantity: 1 },
    { lineId: 'custom', sku: 'B', quantity: 2.5, unitPrice: 100 },
  ],
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    validate(input);
  } catch (err) {
    if (err instanceof ValidationError) return [...err.errors];
    throw err;
  }
  return [];
}

describe('order intake validation', () => {
  it('accepts a valid intake unchanged', () => {
    expect(validate(intake)).toBe(intake);
  });

  it('lists every offending path at once', () => {
    const issues = issuesOf({
      ...intake,
      currency: 'EURO',
      lines: [{ sku: '', quantity: 0, unitPrice: 1.5 }],
      note: 1,
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['/currency', '/lines/0/quantity', '/lines/0/sku', '/lines/0/unitPrice', '/note'].sort()
    );
  });

  it('enforces the configured line limit and at least one line', () => {
    const line = { sku: 'A', quantity: 1 };
    expect(issuesOf({ ...intake, lines: [line, line, line, line] }).map((i) => i.path)).toEqual(['/lines']);
    expect(issuesOf({ ...intake, lines: [] }).map((i) => i.path)).toEqual(['/lines']);
  });
});

describe('newOrder', () => {
  it('numbers lines without ids and keeps given ones, all in the initial state', () => {
    const order = newOrder(intake, { orderId: 'o1', intakeKey: 'k' }, now);
    expect(order.lines.map((l) => [l.lineId, l.state])).toEqual([
      ['1', 'new'],
      ['custom', 'new'],
    ]);
    expect(order).toMatchObject({
      id: 'o1',
      orderId: 'o1',
      channel: 'direct',
      state: 'new',
      createdAt: now.toISOString(),
    });
  });

  it('refuses repeated line ids with the path of the repeat', () => {
    const repeated = {
      ...intake,
      lines: [
        { sku: 'A', quantity: 1 },
        { lineId: '1', sku: 'B', quantity: 1 },
      ],
    };
    const attempt = () => newOrder(repeated, { orderId: 'o', intakeKey: 'k' }, now);
    expect(attempt).toThrow(ValidationError);
    let caught: unknown;
    try {
      attempt();
    } catch (err) {
      caught = err;
    }
    expect((caught as ValidationError).errors).toEqual([
      { path: '/lines/1/lineId', message: 'repeats the lineId of /lines/0' },
    ]);
  });
});
