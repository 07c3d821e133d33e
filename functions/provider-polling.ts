import { app, type InvocationContext } from '@azure/functions';
import { pollDueProviders } from '../shared/app/providers/poll-providers';
import { pollProvidersDeps } from '../shared/app/providers/wiring';

/** Every five seconds: the pollers whose interval (`pollIntervalSeconds`) has passed. */
app.timer('pollProviders', {
  schedule: '*/5 * * * * *',
  handler: async (_timer: unknown, context: InvocationContext) => {
    for (const run of await pollDueProviders(await pollProvidersDeps())) {
      if (run.outcome === 'failed') context.warn(`polling ${run.instanceId} failed: ${run.error}`);
      else if (run.outcome === 'polled')
        context.log(`polled ${run.instanceId}: ${run.pages} pages, ${run.messages} messages`);
    }
  },
});
