import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { journeyInstances } from '../shared/app/journey-runtime/wiring';
import { droppedFileOf, importOrderFile } from '../shared/app/providers/import-order-file';
import { importOrderFileDeps, orderImportsContainer } from '../shared/app/providers/wiring';

/** An order file in `order-imports/{instanceId}/...`: its orders, and a report beside it. */
app.storageBlob('importOrderFile', {
  path: `${orderImportsContainer}/{name}`,
  connection: 'AzureWebJobsStorage',
  extraInputs: [df.input.durableClient()],
  handler: async (blob: unknown, context: InvocationContext) => {
    const deps = await importOrderFileDeps(journeyInstances(df.getClient(context)));
    const file = droppedFileOf(blob, context.triggerMetadata ?? {}, orderImportsContainer);
    const report = await importOrderFile(deps, file);
    context.log(
      `order file ${report.file}: ${report.orders} orders, ${report.created} created, ${report.duplicates} duplicates, ${report.failed} failed`
    );
  },
});
