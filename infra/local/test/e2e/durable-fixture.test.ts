import { durableFixtureSuite } from './durable-fixture.suite';

describe('journal task hub store', () => durableFixtureSuite('journal'));
