import { durableSuspendSuite } from './durable-suspend.suite';

describe('journal task hub store', () => durableSuspendSuite('journal'));
