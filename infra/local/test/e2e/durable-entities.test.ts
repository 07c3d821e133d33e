import { durableEntitiesSuite } from './durable-entities.suite';

describe('journal task hub store', () => durableEntitiesSuite('journal'));
