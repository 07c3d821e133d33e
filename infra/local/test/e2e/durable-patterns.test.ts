import { durablePatternsSuite } from './durable-patterns.suite';

describe('journal task hub store', () => durablePatternsSuite('journal'));
