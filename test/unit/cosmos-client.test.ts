import { isLoopbackHttps } from '../../shared/adapters/cosmos/cosmos-client';

describe('isLoopbackHttps', () => {
  it.each([
    ['https://127.0.0.1:8081', true],
    ['https://localhost:8081/', true],
    ['https://[::1]:8081', true],
    ['http://127.0.0.1:8081', false],
    ['https://myaccount.documents.azure.com:443/', false],
    ['https://127.0.0.1.evil.example/', false],
    ['https://localhost.evil.example/', false],
  ])('%s → %p', (endpoint, expected) => {
    expect(isLoopbackHttps(new URL(endpoint))).toBe(expected);
  });
});
