import type { ProviderPlugin } from '../../ports/provider-plugins';
import { dynamicsFnoDefinition } from './definition';
import { exportSalesOrder } from './export-sales-order';
import { fnoStatusPoller } from './poller';

export const dynamicsFnoPlugin: ProviderPlugin = {
  definition: dynamicsFnoDefinition,
  poller: fnoStatusPoller,
  actions: { exportSalesOrder },
};
