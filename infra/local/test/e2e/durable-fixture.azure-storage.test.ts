import { durableFixtureSuite } from './durable-fixture.suite';

describe('azure-storage task hub store', () => durableFixtureSuite('azure-storage'));
