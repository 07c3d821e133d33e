import { ValidationError } from '../../../shared/domain/errors';
import { sourceFromInput, type Source, type SourceInput } from '../../../shared/domain/fulfillment/source';
import { zipcodesGeocoder } from '../../../shared/adapters/zipcodes-geocoder';

const now = new Date('2026-11-27T10:00:00.000Z');
const input: SourceInput = {
  name: 'Chicago DC',
  type: 'warehouse',
  address: { city: 'Chicago', postalCode: '60601', country: 'US' },
  online: true,
};

describe('sourceFromInput', () => {
  it('geocodes the postal code when no location is given and applies the defaults', () => {
    const source = sourceFromInput('CHI', input, undefined, zipcodesGeocoder, now);
    expect(source).toEqual<Source>({
      id: 'CHI',
      name: 'Chicago DC',
      type: 'warehouse',
      address: { city: 'Chicago', postalCode: '60601', country: 'US' },
      location: {
        lat: expect.closeTo(41.88, 1) as number,
        lon: expect.closeTo(-87.62, 1) as number,
        geocoded: true,
      },
      online: true,
      timeZone: 'UTC',
      safetyStock: 0,
      calendar: { workingDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] },
      priority: 100,
      costs: {},
      acceptsReturns: false,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
  });

  it('keeps a given location as is and does not geocode', () => {
    const geocode = jest.fn();
    const source = sourceFromInput(
      'X',
      { ...input, location: { lat: 1.5, lon: 2.5 } },
      undefined,
      geocode,
      now
    );
    expect(source.location).toEqual({ lat: 1.5, lon: 2.5, geocoded: false });
    expect(geocode).not.toHaveBeenCalled();
  });

  it('refuses an address that does not geocode, at /address/postalCode, instead of placing it at 0,0', () => {
    const unknown = { ...input, address: { postalCode: '00000', country: 'US' } };
    expect(() => sourceFromInput('X', unknown, undefined, zipcodesGeocoder, now)).toThrow(ValidationError);
    try {
      sourceFromInput(
        'X',
        { ...unknown, address: { postalCode: '1012 AB', country: 'NL' } },
        undefined,
        zipcodesGeocoder,
        now
      );
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([
        { path: '/address/postalCode', message: expect.stringContaining('cannot be geocoded') as string },
      ]);
    }
    expect.assertions(2);
  });

  it('keeps createdAt of the source it replaces and sorts the calendar', () => {
    const existing = sourceFromInput(
      'CHI',
      input,
      undefined,
      zipcodesGeocoder,
      new Date('2026-01-01T00:00:00Z')
    );
    const replaced = sourceFromInput(
      'CHI',
      { ...input, calendar: { workingDays: [5, 1, 3], holidays: ['2026-12-25', '2026-01-01'] } },
      existing,
      zipcodesGeocoder,
      now
    );
    expect(replaced.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(replaced.updatedAt).toBe(now.toISOString());
    expect(replaced.calendar).toEqual({ workingDays: [1, 3, 5], holidays: ['2026-01-01', '2026-12-25'] });
  });

  it('refuses a calendar without working days', () => {
    expect(() =>
      sourceFromInput('X', { ...input, calendar: { workingDays: [] } }, undefined, zipcodesGeocoder, now)
    ).toThrow(/not valid/);
  });
});

describe('zipcodesGeocoder', () => {
  it('places US ZIP codes (ZIP+4 too) and Canadian FSAs, and nothing else', () => {
    expect(zipcodesGeocoder('10001-1234', 'US')).toEqual({ lat: 40.7484, lon: -73.9967 });
    expect(zipcodesGeocoder('M5V 3L9', 'CA')).toEqual({ lat: 43.6525, lon: -79.3686 });
    expect(zipcodesGeocoder('M5V', 'US')).toBeUndefined();
    expect(zipcodesGeocoder('10001', 'DE')).toBeUndefined();
    expect(zipcodesGeocoder('99999', 'US')).toBeUndefined();
  });
});
