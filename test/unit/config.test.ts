import { ConfigError, getConfig, loadConfig, resetConfigForTests } from '../../shared/config';

const base = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  COSMOS_ENDPOINT: 'http://127.0.0.1:8081',
  COSMOS_KEY: 'a2V5',
};

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(loadConfig(base)).toEqual({
      storageConnectionString: 'UseDevelopmentStorage=true',
      cosmos: { endpoint: 'http://127.0.0.1:8081', key: 'a2V5', database: 'openiom' },
      maxBodyBytes: 1048576,
      maxOrderLines: 1000,
    });
  });

  it('reads the order line limit and refuses a bad one', () => {
    expect(loadConfig({ ...base, OPENIOM_MAX_ORDER_LINES: '5' }).maxOrderLines).toBe(5);
    expect(() => loadConfig({ ...base, OPENIOM_MAX_ORDER_LINES: '0' })).toThrow(/OPENIOM_MAX_ORDER_LINES/);
  });

  it('reads the optional values', () => {
    const config = loadConfig({
      ...base,
      COSMOS_DATABASE: 'other',
      SERVICEBUS_CONNECTION: 'Endpoint=sb://x/',
      OPENIOM_FUNCTIONS_KEY: 'k',
      OPENIOM_MAX_BODY_BYTES: '2048',
    });
    expect(config.cosmos.database).toBe('other');
    expect(config.serviceBusConnection).toBe('Endpoint=sb://x/');
    expect(config.functionsKey).toBe('k');
    expect(config.maxBodyBytes).toBe(2048);
  });

  it('names every missing required variable at once', () => {
    let caught: unknown;
    try {
      loadConfig({ COSMOS_KEY: '  ' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('AzureWebJobsStorage');
    expect(message).toContain('COSMOS_ENDPOINT');
    expect(message).toContain('COSMOS_KEY');
    expect((caught as ConfigError).problems).toHaveLength(3);
  });

  it.each([
    [{ COSMOS_ENDPOINT: 'not a url' }, 'COSMOS_ENDPOINT'],
    [{ COSMOS_ENDPOINT: 'ftp://host' }, 'COSMOS_ENDPOINT'],
    [{ OPENIOM_MAX_BODY_BYTES: '0' }, 'OPENIOM_MAX_BODY_BYTES'],
    [{ OPENIOM_MAX_BODY_BYTES: '1e6' }, 'OPENIOM_MAX_BODY_BYTES'],
    [{ OPENIOM_MAX_BODY_BYTES: '-5' }, 'OPENIOM_MAX_BODY_BYTES'],
    [{ COSMOS_DATABASE: 'a/b' }, 'COSMOS_DATABASE'],
  ])('rejects %p', (override, variable) => {
    expect(() => loadConfig({ ...base, ...override })).toThrow(variable);
  });
});

describe('getConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetConfigForTests();
  });

  it('memoizes until reset', () => {
    Object.assign(process.env, base, { COSMOS_DATABASE: 'first' });
    resetConfigForTests();
    expect(getConfig().cosmos.database).toBe('first');
    process.env.COSMOS_DATABASE = 'second';
    expect(getConfig().cosmos.database).toBe('first');
    resetConfigForTests();
    expect(getConfig().cosmos.database).toBe('second');
  });
});

describe('loadConfig with a managed identity (Azure, docs/deploy.md)', () => {
  const azure = {
    AzureWebJobsStorage__accountName: 'stopeniom',
    COSMOS_ENDPOINT: 'https://cosmos-openiom.documents.azure.com:443/',
    AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    SERVICEBUS_CONNECTION__fullyQualifiedNamespace: 'sb-openiom.servicebus.windows.net',
  };

  it('takes account, endpoint and namespace without any key or connection string', () => {
    expect(loadConfig(azure)).toEqual({
      storageAccountName: 'stopeniom',
      cosmos: { endpoint: 'https://cosmos-openiom.documents.azure.com:443/', database: 'openiom' },
      serviceBusNamespace: 'sb-openiom.servicebus.windows.net',
      azureClientId: '11111111-2222-3333-4444-555555555555',
      maxBodyBytes: 1048576,
      maxOrderLines: 1000,
    });
  });

  it('prefers a connection string when both forms are set, as the local host sets them', () => {
    const config = loadConfig({
      ...azure,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      COSMOS_KEY: 'a2V5',
      SERVICEBUS_CONNECTION: 'Endpoint=sb://x/',
    });
    expect(config.storageConnectionString).toBe('UseDevelopmentStorage=true');
    expect(config.storageAccountName).toBeUndefined();
    expect(config.cosmos.key).toBe('a2V5');
    expect(config.serviceBusConnection).toBe('Endpoint=sb://x/');
    expect(config.serviceBusNamespace).toBeUndefined();
  });

  it('still refuses a Cosmos endpoint with neither a key nor an identity', () => {
    const { AZURE_CLIENT_ID: _omitted, ...withoutIdentity } = azure;
    expect(() => loadConfig(withoutIdentity)).toThrow(/COSMOS_KEY is required .*AZURE_CLIENT_ID/);
  });
});
