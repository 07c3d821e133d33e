import { durableSuspendSuite } from './durable-suspend.suite';

describe('azure-storage task hub store', () => durableSuspendSuite('azure-storage'));
