import { durableEntitiesSuite } from './durable-entities.suite';

describe('azure-storage task hub store', () => durableEntitiesSuite('azure-storage'));
