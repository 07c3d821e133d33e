/**
 * The pure parts of the carrier plug-ins: how ShipStation's rate-limit wait and error bodies are
 * read, FedEx's error message and delivered status, the instance's package and ship-from checks.
 */
import { ValidationError } from '../../shared/domain/errors';
import { ProviderCallError } from '../../shared/domain/providers/provider-call-error';
import type { ProviderConnection, ProviderResponse } from '../../shared/ports/provider-plugins';
import { tokenRefusal } from '../../shared/providers/common/oauth-token';
import { parcelOf, shipFromOf } from '../../shared/providers/common/shipping';
import { fedExErrorMessage } from '../../shared/providers/fedex/client';
import { isDelivered } from '../../shared/providers/fedex/poller';
import { shipStationErrorMessage, shipStationRetryDelay } from '../../shared/providers/shipstation/client';

function response(status: number, headers: Record<string, string> = {}): ProviderResponse {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, headers: { get: (name) => lower.get(name.toLowerCase()) ?? null }, text: '' };
}

const connection = (parameters: ProviderConnection['parameters']): ProviderConnection => ({
  instanceId: 'c-1',
  parameters,
  secrets: {},
});

describe('ShipStation', () => {
  it('waits X-Rate-Limit-Reset seconds on 429; otherwise leaves the wait to the client', () => {
    expect(shipStationRetryDelay(response(429, { 'X-Rate-Limit-Reset': '12' }), 1)).toBe(12_000);
    expect(shipStationRetryDelay(response(429), 1)).toBeUndefined();
    expect(shipStationRetryDelay(response(503, { 'X-Rate-Limit-Reset': '12' }), 1)).toBeUndefined();
  });

  it('reads ExceptionMessage, then Message, then the reference pages’ message', () => {
    expect(shipStationErrorMessage({ Message: 'The request is invalid.', ExceptionMessage: 'Bad zip' })).toBe(
      'Bad zip'
    );
    expect(shipStationErrorMessage({ Message: 'Authorization has been denied for this request.' })).toBe(
      'Authorization has been denied for this request.'
    );
    expect(shipStationErrorMessage({ message: 'lower case' })).toBe('lower case');
    expect(shipStationErrorMessage([])).toBeUndefined();
  });
});

describe('FedEx', () => {
  it('says the first error with its code', () => {
    expect(
      fedExErrorMessage({
        transactionId: 't',
        errors: [
          { code: 'SERVICE.TYPE.INVALID', message: 'Service type is invalid.' },
          { code: 'OTHER', message: 'other' },
        ],
      })
    ).toBe('Service type is invalid. (SERVICE.TYPE.INVALID)');
    expect(fedExErrorMessage({ errors: [{ code: 'ONLY.CODE' }] })).toBe('ONLY.CODE');
    expect(fedExErrorMessage({ output: {} })).toBeUndefined();
  });

  it('is delivered when the latest status says DL, else when the newest scan does', () => {
    expect(isDelivered({ latestStatusDetail: { code: 'DL', derivedCode: 'DL' } })).toBe(true);
    expect(isDelivered({ latestStatusDetail: { code: 'OD', derivedCode: 'DL' } })).toBe(true);
    expect(isDelivered({ latestStatusDetail: { code: 'IT', derivedCode: 'IT' } })).toBe(false);
    expect(
      isDelivered({
        scanEvents: [
          { date: '2026-12-01T09:00:00-05:00', eventType: 'OD' },
          { date: '2026-12-01T08:30:00-06:00', eventType: 'DL' },
        ],
      })
    ).toBe(true);
    expect(isDelivered({ scanEvents: [{ date: '2026-12-01T08:00:00-06:00', eventType: 'IT' }] })).toBe(false);
    expect(isDelivered({})).toBe(false);
  });
});

describe('OAuth token refusal', () => {
  it('tells the OAuth error (RFC 6749) and keeps the status', () => {
    const refused = tokenRefusal(
      new ProviderCallError(
        'POST https://login.example/token answered 401.',
        401,
        '{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}'
      )
    );
    expect(refused.message).toBe(
      'The token request was refused (401): invalid_client: AADSTS7000215: Invalid client secret provided.'
    );
    expect(refused.status).toBe(401);
  });
});

describe('package and ship-from parameters', () => {
  it('take a weight with its unit and dimensions only when all three are set', () => {
    expect(parcelOf(connection({ packageWeight: 3, weightUnit: 'kg' }))).toEqual({
      weight: { value: 3, unit: 'kg' },
    });
    expect(
      parcelOf(
        connection({
          packageWeight: 16,
          weightUnit: 'oz',
          packageLength: 10,
          packageWidth: 8,
          packageHeight: 4,
        })
      )
    ).toEqual({
      weight: { value: 16, unit: 'oz' },
      dimensions: { length: 10, width: 8, height: 4, unit: 'in' },
    });
    expect(parcelOf(connection({ packageWeight: 1, packageLength: 10 })).dimensions).toBeUndefined();
  });

  it('name each wrong or missing parameter', () => {
    const wrong = (() => {
      try {
        parcelOf(connection({ packageWeight: 0, weightUnit: 'stone' }));
      } catch (err) {
        return err;
      }
    })();
    expect(wrong).toBeInstanceOf(ValidationError);
    expect((wrong as ValidationError).errors.map((e) => e.path)).toEqual([
      '/parameters/weightUnit',
      '/parameters/packageWeight',
    ]);
    expect(() => shipFromOf(connection({ shipFromName: 'DC', shipFromCity: 'Austin' }))).toThrow(
      expect.objectContaining({
        errors: [
          { path: '/parameters/shipFromLine1', message: 'is required to ship' },
          { path: '/parameters/shipFromPostalCode', message: 'is required to ship' },
          { path: '/parameters/shipFromCountry', message: 'is required to ship' },
        ],
      }) as Error
    );
  });
});
