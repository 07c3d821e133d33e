import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { orderFileReader } from '../../shared/adapters/files/order-file-reader';
import { ValidationError } from '../../shared/domain/errors';
import { parseJsonLossless } from '../../shared/domain/providers/parse-json-lossless';

const stediSample = path.resolve(
  __dirname,
  '../../../shared/reference/provider-payloads/x12/850-5010.stedi-bootstrap.edi'
);

function bytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

interface RowsBody {
  externalId: string;
  rows: { row: number; values: Record<string, string> }[];
}

describe('parseJsonLossless', () => {
  it('keeps an integer beyond 2^53 as the exact string written', () => {
    expect(parseJsonLossless('{"id": 9007199254740993}')).toEqual({ id: '9007199254740993' });
  });

  it('keeps smaller integers and decimals as numbers, nested too', () => {
    expect(parseJsonLossless('{"a": {"price": 12.5, "qty": 3, "ids": [1, 12345678901234567890]}}')).toEqual({
      a: { price: 12.5, qty: 3, ids: [1, '12345678901234567890'] },
    });
  });

  it('throws a SyntaxError naming the position for invalid JSON', () => {
    expect(() => parseJsonLossless('{"a": 1,')).toThrow(SyntaxError);
    expect(() => parseJsonLossless('{"a": 1,')).toThrow(/position 8/);
  });
});

describe('orderFileReader: CSV', () => {
  it('groups rows into orders by order number, adjacent or not, with file line numbers', async () => {
    const csv = [
      'Order_Number,SKU,Quantity,UnitPrice,Currency,Email,ship to city,gift note',
      'A1,SKU-1,2,12.50,USD,a@example.com,Paris,hi',
      'B2,SKU-9,1,3,EUR,b@example.com,Lyon,',
      'A1,SKU-2,1,,,,,',
    ].join('\n');
    const read = await orderFileReader.read('orders.csv', bytes(csv));
    expect(read.format).toBe('csv');
    expect(read.errors).toEqual([]);
    expect(read.messages).toEqual([
      {
        messageType: 'order-rows',
        key: 'order-A1',
        rows: [2, 4],
        body: {
          externalId: 'A1',
          rows: [
            {
              row: 2,
              values: {
                orderNumber: 'A1',
                sku: 'SKU-1',
                quantity: '2',
                unitPrice: '12.50',
                currency: 'USD',
                email: 'a@example.com',
                shipToCity: 'Paris',
                'gift note': 'hi',
              },
            },
            {
              row: 4,
              values: {
                orderNumber: 'A1',
                sku: 'SKU-2',
                quantity: '1',
                unitPrice: '',
                currency: '',
                email: '',
                shipToCity: '',
                'gift note': '',
              },
            },
          ],
        },
      },
      expect.objectContaining({ key: 'order-B2', rows: [3] }),
    ]);
  });

  it('reports bad rows by line and refuses their whole order, naming its good rows too', async () => {
    const csv = [
      'orderNumber,sku,quantity,unitPrice,currency',
      'A1,SKU-1,2,12.50,USD', // 2: good, but its order has a bad row
      ',SKU-1,1,1,USD', // 3: no order number
      'A1,SKU-2,0,1,USD', // 4: quantity not positive
      'B2,,1,1,USD', // 5: no sku
      'C3,SKU-3,1,12.5.0,USD', // 6: price not a decimal
      'D4,SKU-4,1,1', // 7: field count
      'E5,SKU-5,1,1,USD', // 8: good
      'E5,SKU-6,1,1,EUR', // 9: currency differs from row 8
      'F6,SKU-7,abc,1,USD', // 10: quantity not a number
      'G7,SKU-8,3,4.00,USD', // 11: good and imported
    ].join('\r\n');
    const read = await orderFileReader.read('orders.csv', bytes(csv));
    expect(read.messages.map((m) => m.key)).toEqual(['order-G7']);
    expect(read.errors).toEqual([
      { row: 2, message: 'order A1 not imported: row 4 is not valid', order: 'order-A1' },
      { row: 3, message: 'has no order number' },
      { row: 4, message: 'quantity "0" is not a positive number', order: 'order-A1' },
      { row: 5, message: 'has no sku', order: 'order-B2' },
      { row: 6, message: 'unitPrice "12.5.0" is not a decimal amount such as 12.50', order: 'order-C3' },
      { row: 7, message: 'has 4 fields; the header names 5', order: 'order-D4' },
      { row: 8, message: 'order E5 not imported: row 9 is not valid', order: 'order-E5' },
      { row: 9, message: 'currency "EUR" differs from "USD" in row 8 of order E5', order: 'order-E5' },
      { row: 10, message: 'quantity "abc" is not a positive number', order: 'order-F6' },
    ]);
  });

  it('reads `;` files with a BOM and a quoted field with a line break (row = where it starts)', async () => {
    const csv =
      '\uFEFForder id;sku;quantity;shipToLine1\n' +
      '1001;S-1;1;"12 Main St\nBuilding 4"\n' +
      '1002;S-2;2;Elm Rd\n';
    const read = await orderFileReader.read('ORDERS.CSV', bytes(csv));
    expect(read.errors).toEqual([]);
    expect(read.messages).toHaveLength(2);
    expect(read.messages[0]).toMatchObject({
      key: 'order-1001',
      rows: [2],
      body: { rows: [{ row: 2, values: { orderNumber: '1001', shipToLine1: '12 Main St\nBuilding 4' } }] },
    });
    expect(read.messages[1]).toMatchObject({ key: 'order-1002', rows: [4] });
  });

  it('refuses a file without an order number column', async () => {
    await expect(orderFileReader.read('o.csv', bytes('sku,quantity\nA,1\n'))).rejects.toMatchObject({
      errors: [{ path: '', message: expect.stringMatching(/order number column/) as unknown }],
    });
  });
});

describe('orderFileReader: XLSX', () => {
  it('reads the first worksheet with worksheet row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Orders');
    sheet.addRow(['ExternalId', 'sku', 'QUANTITY', 'unitPrice', 'shipToCountry']);
    sheet.addRow(['X-1', 'SKU-1', 3, 12.5, 'US']);
    sheet.addRow([]);
    sheet.addRow(['X-2', 'SKU-2', -1, 1, 'US']);
    sheet.addRow(['X-1', 'SKU-3', 1, '7.25', 'US']);
    const content = new Uint8Array(await workbook.xlsx.writeBuffer());
    const read = await orderFileReader.read('orders.xlsx', content);
    expect(read.format).toBe('xlsx');
    expect(read.errors).toEqual([
      { row: 4, message: 'quantity "-1" is not a positive number', order: 'order-X-2' },
    ]);
    expect(read.messages).toHaveLength(1);
    const [message] = read.messages;
    expect(message).toMatchObject({ messageType: 'order-rows', key: 'order-X-1', rows: [2, 5] });
    expect((message?.body as RowsBody).rows[0]).toEqual({
      row: 2,
      values: { orderNumber: 'X-1', sku: 'SKU-1', quantity: '3', unitPrice: '12.5', shipToCountry: 'US' },
    });
  });
});

describe('orderFileReader: JSON', () => {
  it('reads an array, one message per element, big ids kept exact', async () => {
    const read = await orderFileReader.read(
      'orders.json',
      bytes('[{"id": 5820393849182739201, "total": 12.5}, 7, {"id": 2}]')
    );
    expect(read).toEqual({
      format: 'json',
      messages: [
        { messageType: 'order', key: 'item-1', rows: [1], body: { id: '5820393849182739201', total: 12.5 } },
        { messageType: 'order', key: 'item-3', rows: [3], body: { id: 2 } },
      ],
      errors: [{ row: 2, message: 'is not an object', order: 'item-2' }],
    });
  });

  it('reads { "orders": [...] }', async () => {
    const read = await orderFileReader.read('o.json', bytes('{"orders": [{"id": 9007199254740993}]}'));
    expect(read.messages).toEqual([
      { messageType: 'order', key: 'item-1', rows: [1], body: { id: '9007199254740993' } },
    ]);
  });

  it('refuses invalid JSON and other shapes', async () => {
    await expect(orderFileReader.read('o.json', bytes('{"orders": ['))).rejects.toBeInstanceOf(
      ValidationError
    );
    await expect(orderFileReader.read('o.json', bytes('{"items": []}'))).rejects.toBeInstanceOf(
      ValidationError
    );
  });
});

/** An interchange around the given sets (each an array of segments without ST/SE), `~` + newline. */
function interchange(sets: { id: string; control: string; body: string[]; count?: number }[]): string {
  const isa =
    'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00501*000000123*0*T*>~';
  const lines = [isa, 'GS*PO*SENDER*RECEIVER*20240101*1200*77*X*005010~'];
  for (const set of sets) {
    lines.push(`ST*${set.id}*${set.control}~`, ...set.body.map((s) => `${s}~`));
    lines.push(`SE*${set.count ?? set.body.length + 2}*${set.control}~`);
  }
  lines.push(`GE*${sets.length}*77~`, 'IEA*1*000000123~');
  return lines.join('\n');
}

describe('orderFileReader: X12', () => {
  it('reads the Stedi 850 sample into one x12-850 message with its loops', async () => {
    const read = await orderFileReader.read('850.edi', readFileSync(stediSample));
    expect(read.format).toBe('x12');
    expect(read.errors).toEqual([]);
    expect(read.messages).toHaveLength(1);
    const [message] = read.messages;
    expect(message).toMatchObject({
      messageType: 'x12-850',
      key: 'st-000000057-000000057-000000057',
      rows: [3],
    });
    expect(message?.body).toEqual({
      interchange: {
        senderQualifier: 'ZZ',
        senderId: 'AMERCHANT',
        receiverQualifier: '14',
        receiverId: 'ANOTHERMERCH',
        date: '221011',
        time: '0256',
        controlNumber: '000000057',
        usageIndicator: 'T',
      },
      group: {
        functionalId: 'OW',
        senderCode: 'READDEMO',
        receiverCode: '072271711TMS',
        date: '20221011',
        time: '025630',
        controlNumber: '000000057',
        version: '005010',
      },
      transactionSet: { id: '850', controlNumber: '000000057' },
      segments: {
        BEG: [{ '01': '00', '02': 'DS', '03': '365465413', '05': '20220830' }],
        REF: [
          { '01': 'CO', '02': 'ACME-4567' },
          { '01': 'ZZ', '02': 'Thank you for your business' },
        ],
        PER: [
          {
            '01': 'OC',
            '02': 'Marvin Acme',
            '03': 'TE',
            '04': '973-555-1212',
            '05': 'EM',
            '06': 'marvin@acme.com',
          },
        ],
        TD5: [{ '04': 'ZZ', '05': 'FHD' }],
        CTT: [{ '01': '2' }],
        AMT: [{ '01': 'TT', '02': '3700' }],
      },
      N1: [
        {
          N1: [{ '01': 'ST', '02': 'Wile E Coyote', '03': '92', '04': '123' }],
          N3: [{ '01': '111 Canyon Court' }],
          N4: [{ '01': 'Phoenix', '02': 'AZ', '03': '85001', '04': 'US' }],
        },
      ],
      PO1: [
        {
          PO1: [
            {
              '01': 'item-1',
              '02': '0008',
              '03': 'EA',
              '04': '400',
              '06': 'VC',
              '07': 'VND1234567',
              '08': 'SK',
              '09': 'ACM/8900-400',
            },
          ],
          PID: [{ '01': 'F', '05': '400 pound anvil' }],
        },
        {
          PO1: [
            {
              '01': 'item-2',
              '02': '0004',
              '03': 'EA',
              '04': '125',
              '06': 'VC',
              '07': 'VND000111222',
              '08': 'SK',
              '09': 'ACM/1100-001',
            },
          ],
          PID: [{ '01': 'F', '05': 'Detonator' }],
        },
      ],
    });
  });

  it('gives one message per 850 and an error for another set type, by ST segment number', async () => {
    const edi = interchange([
      { id: '850', control: '0001', body: ['BEG*00*SA*PO-1**20240101', 'PO1*1*2*EA*3.5', 'CTT*1'] },
      { id: '855', control: '0002', body: ['BAK*00*AD*PO-1*20240101'] },
      {
        id: '850',
        control: '0003',
        body: [
          'BEG*00*SA*PO-2**20240101',
          'PO1*1*1*EA*9**BP*A>B',
          'N1*ST*Dock 4',
          'N3*1 Road',
          'DTM*002*20240105',
          'CTT*1',
        ],
      },
    ]);
    const read = await orderFileReader.read('in.x12', bytes(edi));
    // ISA 1, GS 2, ST 3 … SE 7, ST 8 … SE 10, ST 11.
    expect(read.errors).toEqual([
      {
        row: 8,
        message: 'transaction set 855 is not a purchase order (850)',
        order: 'st-000000123-77-0002',
      },
    ]);
    expect(read.messages.map((m) => [m.key, m.rows])).toEqual([
      ['st-000000123-77-0001', [3]],
      ['st-000000123-77-0003', [11]],
    ]);
    expect((read.messages[1]?.body as { PO1: unknown[] }).PO1).toEqual([
      {
        PO1: [{ '01': '1', '02': '1', '03': 'EA', '04': '9', '06': 'BP', '07': 'A>B' }],
        N1: [{ N1: [{ '01': 'ST', '02': 'Dock 4' }], N3: [{ '01': '1 Road' }] }],
        DTM: [{ '01': '002', '02': '20240105' }],
      },
    ]);
  });

  it('refuses a set whose SE01 count is wrong, and only that set', async () => {
    const edi = interchange([
      { id: '850', control: '0001', body: ['BEG*00*SA*PO-1**20240101', 'CTT*0'], count: 5 },
      { id: '850', control: '0002', body: ['BEG*00*SA*PO-2**20240101', 'CTT*0'] },
    ]);
    const read = await orderFileReader.read('in.txt', bytes(edi));
    expect(read.errors).toEqual([
      {
        row: 3,
        message: 'transaction set 850 0001: SE01 says 5 segments; the set has 4',
        order: 'st-000000123-77-0001',
      },
    ]);
    expect(read.messages.map((m) => m.key)).toEqual(['st-000000123-77-0002']);
  });

  it('refuses a malformed interchange', async () => {
    await expect(orderFileReader.read('in.edi', bytes('ISA*00*short~'))).rejects.toBeInstanceOf(
      ValidationError
    );
    const badGroupCount = interchange([{ id: '850', control: '0001', body: ['CTT*0'] }]).replace(
      'GE*1',
      'GE*2'
    );
    await expect(orderFileReader.read('in.edi', bytes(badGroupCount))).rejects.toBeInstanceOf(
      ValidationError
    );
    await expect(orderFileReader.read('notes.txt', bytes('hello'))).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('orderFileReader: X12 files holding two interchanges', () => {
  it('refuses them as one malformed interchange', async () => {
    const one = interchange([{ id: '850', control: '0001', body: ['CTT*0'] }]);
    await expect(orderFileReader.read('in.edi', bytes(`${one}\n${one}`))).rejects.toBeInstanceOf(
      ValidationError
    );
  });
});
