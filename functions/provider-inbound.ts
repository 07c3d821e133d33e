import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { journeyInstances } from '../shared/app/journey-runtime/wiring';
import {
  processInboundMessages,
  recordPoisonedInbound,
} from '../shared/app/providers/process-inbound-messages';
import {
  processInboundDeps,
  providerInboundPoisonQueueName,
  providerInboundQueueName,
} from '../shared/app/providers/wiring';

const inbound = async (context: InvocationContext) =>
  processInboundDeps(journeyInstances(df.getClient(context)));

/** The provider-inbound queue: each message becomes an order once, or an entry on the error list. */
app.storageQueue('processProviderInbound', {
  queueName: providerInboundQueueName,
  connection: 'AzureWebJobsStorage',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    await processInboundMessages(await inbound(context), message);
  },
});

/** Messages the host gave up on (storage, Cosmos or the provider down for good): on the error list. */
app.storageQueue('recordPoisonedProviderInbound', {
  queueName: providerInboundPoisonQueueName,
  connection: 'AzureWebJobsStorage',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    await recordPoisonedInbound(await inbound(context), message);
  },
});
