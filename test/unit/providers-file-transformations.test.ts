/**
 * The built-in file transformations: the X12 850 sample (as the order file reader gives it)
 * and order rows give exact order intakes.
 */
import { orderFileReader } from '../../shared/adapters/files/order-file-reader';
import { runTransformation } from '../../shared/domain/providers/run-transformation';
import { fileTransformations } from '../../shared/providers/common/file-transformations';
import { orderIntakeSchema } from '../../shared/schemas/order-intake.schema';
import { compileValidator } from '../../shared/schemas/validator';
import { readProviderPayload } from '../support/provider-servers/request-log';

const validateIntake = compileValidator(orderIntakeSchema(500), 'order intake');
const context = {
  instanceId: 'files-1',
  parameters: {},
  mappings: [],
  now: new Date('2024-01-01T00:00:00Z'),
};

/** The X12 850 JSON shape the order file reader gives for one transaction set. */
interface X12Sample {
  segments: Record<string, unknown>;
  N1: { N4: Record<string, string>[] }[];
  PO1: { PO1: Record<string, string>[] }[];
}

/** x12/850-5010.stedi-bootstrap.edi, ST…SE, as the X12 reader gives it. */
let x12Sample: X12Sample;

beforeAll(async () => {
  const edi = Buffer.from(readProviderPayload('x12/850-5010.stedi-bootstrap.edi'));
  x12Sample = (await orderFileReader.read('850.edi', edi)).messages[0]!.body as X12Sample;
});

describe('x12-850 transformation', () => {
  it('turns the X12 sample into the order intake', async () => {
    const { output, unmapped } = await runTransformation(fileTransformations['x12-850']!, x12Sample, context);
    expect(output).toEqual({
      externalId: '365465413',
      currency: 'USD',
      customer: { name: 'Wile E Coyote' },
      shipTo: { line1: '111 Canyon Court', city: 'Phoenix', state: 'AZ', postalCode: '85001', country: 'US' },
      lines: [
        { lineId: 'item-1', sku: 'ACM/8900-400', quantity: 8, unitPrice: 40000 },
        { lineId: 'item-2', sku: 'ACM/1100-001', quantity: 4, unitPrice: 12500 },
      ],
    });
    expect(() => validateIntake(output)).not.toThrow();
    expect(unmapped).toEqual([
      { type: 'sku', value: 'ACM/8900-400' },
      { type: 'sku', value: 'ACM/1100-001' },
    ]);
  });

  it('takes the currency from CUR, a country default of US, a mapped sku and the VP id without SK', async () => {
    const input = structuredClone(x12Sample);
    input.segments.CUR = [{ '01': 'BY', '02': 'EUR' }];
    delete input.N1[0]!.N4[0]!['04'];
    input.PO1[0]!.PO1[0] = {
      '01': '1',
      '02': '2',
      '04': '19.99',
      '06': 'BP',
      '07': 'B-1',
      '08': 'VP',
      '09': 'V-1',
    };
    const { output } = await runTransformation(fileTransformations['x12-850']!, input, {
      ...context,
      mappings: [{ type: 'sku', external: 'V-1', internal: 'SKU-1' }],
    });
    const intake = output as { currency: string; shipTo: { country: string }; lines: unknown[] };
    expect(intake.currency).toBe('EUR');
    expect(intake.shipTo.country).toBe('US');
    expect(intake.lines[0]).toEqual({ lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: 1999 });
  });
});

describe('order-rows transformation', () => {
  it('reads the header from the first row and a line from every row', async () => {
    const input = {
      externalId: 'CSV-1001',
      rows: [
        {
          row: 2,
          values: {
            orderNumber: 'CSV-1001',
            lineId: '1',
            sku: 'TEE-M',
            quantity: '2',
            unitPrice: '19.90',
            currency: 'EUR',
            email: 'ada@example.com',
            customerName: 'Ada Lovelace',
            shipToLine1: 'Hauptstrasse 1',
            shipToLine2: '',
            shipToCity: 'Berlin',
            shipToState: '',
            shipToPostalCode: '10115',
            shipToCountry: 'DE',
          },
        },
        {
          row: 3,
          values: { orderNumber: 'CSV-1001', lineId: '2', sku: 'MUG', quantity: '1', unitPrice: '' },
        },
      ],
    };
    const { output } = await runTransformation(fileTransformations['order-rows']!, input, context);
    expect(output).toEqual({
      externalId: 'CSV-1001',
      currency: 'EUR',
      customer: { email: 'ada@example.com', name: 'Ada Lovelace' },
      shipTo: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
      lines: [
        { lineId: '1', sku: 'TEE-M', quantity: 2, unitPrice: 1990 },
        { lineId: '2', sku: 'MUG', quantity: 1 },
      ],
    });
    expect(() => validateIntake(output)).not.toThrow();
  });
});
