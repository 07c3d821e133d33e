import { durablePatternsSuite } from './durable-patterns.suite';

describe('azure-storage task hub store', () => durablePatternsSuite('azure-storage'));
