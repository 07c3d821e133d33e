import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { importOrderFile } from '../shared/app/providers/import-order-file';
import { pollDueProviders } from '../shared/app/providers/poll-providers';
import {
  processInboundMessages,
  recordPoisonedInbound,
} from '../shared/app/providers/process-inbound-messages';
import { receiveWebhook } from '../shared/app/providers/receive-webhook';
import { journeyInstances } from '../shared/app/journey-runtime/wiring';
import { droppedFileOf } from '../shared/app/providers/import-order-file';
import {
  importOrderFileDeps,
  orderImportsContainer,
  pollProvidersDeps,
  processInboundDeps,
  providerInboundPoisonQueueName,
  providerInboundQueueName,
  receiveWebhookDeps,
} from '../shared/app/providers/wiring';
import { problem } from '../shared/http/problem';
import { route } from '../shared/http/route';

/** POST /api/providers/{instanceId}/webhook: signed provider callbacks, answered 202 once queued. */
route(
  'receiveProviderWebhook',
  'POST',
  'providers/{instanceId}/webhook',
  async (request) => {
    const rawBody = Buffer.from(await request.arrayBuffer());
    const outcome = await receiveWebhook(await receiveWebhookDeps(), request.params.instanceId ?? '', {
      headers: request.headers,
      rawBody,
    });
    if (outcome.kind === 'refused') {
      return problem(
        outcome.status,
        outcome.status === 401 ? 'Unauthorized' : 'Bad request',
        outcome.reason,
        {
          slug: outcome.status === 401 ? 'invalid-signature' : 'bad-webhook',
        }
      );
    }
    const { messageId, messageType, duplicate } = outcome;
    return { status: 202, jsonBody: { duplicate, messageId, messageType } };
  },
  { authLevel: 'anonymous' }
);

const durableClient = df.input.durableClient();

/** The provider-inbound queue: each message becomes an order once, or an entry on the error list. */
app.storageQueue('processProviderInbound', {
  queueName: providerInboundQueueName,
  connection: 'AzureWebJobsStorage',
  extraInputs: [durableClient],
  handler: async (message: unknown, context: InvocationContext) => {
    await processInboundMessages(await processInboundDeps(journeyInstances(df.getClient(context))), message);
  },
});

/** Messages the host gave up on (storage, Cosmos or the provider down for good): on the error list. */
app.storageQueue('recordPoisonedProviderInbound', {
  queueName: providerInboundPoisonQueueName,
  connection: 'AzureWebJobsStorage',
  extraInputs: [durableClient],
  handler: async (message: unknown, context: InvocationContext) => {
    await recordPoisonedInbound(await processInboundDeps(journeyInstances(df.getClient(context))), message);
  },
});

/** Every five seconds: the pollers whose interval has passed. */
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

/** An order file in `order-imports/{instanceId}/...`: its orders, and a report beside it. */
app.storageBlob('importOrderFile', {
  path: `${orderImportsContainer}/{name}`,
  connection: 'AzureWebJobsStorage',
  extraInputs: [durableClient],
  handler: async (blob: unknown, context: InvocationContext) => {
    const deps = await importOrderFileDeps(journeyInstances(df.getClient(context)));
    const report = await importOrderFile(
      deps,
      droppedFileOf(blob, context.triggerMetadata ?? {}, orderImportsContainer)
    );
    context.log(
      `order file ${report.file}: ${report.orders} orders, ${report.created} created, ${report.duplicates} duplicates, ${report.failed} failed`
    );
  },
});
