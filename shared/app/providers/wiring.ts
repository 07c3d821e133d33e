import { createHash } from 'crypto';
import { hostname } from 'os';
import { CosmosPollCheckpointStore } from '../../adapters/cosmos/poll-checkpoint-store';
import { orderFileReader } from '../../adapters/files/order-file-reader';
import { ProviderHttpClient } from '../../adapters/http/provider-http-client';
import { BlobImportReportStore } from '../../adapters/storage/inventory-import-reports';
import { BlobTextArchive } from '../../adapters/storage/blob-text-archive';
import { StorageInboundQueue } from '../../adapters/storage/provider-inbound-queue';
import type { ProviderInstanceInput } from '../../domain/providers/provider-instance';
import type { ValueMapping } from '../../domain/providers/value-mappings';
import {
  orderImportResultsContainer,
  providerInboundArchiveContainer,
  providerInboundQueueName,
} from '../../ports/binding-names';
import type { JourneyInstances } from '../../ports/journey-instances';
import type { ProviderHttp } from '../../ports/provider-plugins';
import type { InboundArchive, InboundQueue } from '../../ports/providers';
import { getProviderPlugins, getProviderSettings } from '../provider-config/wiring';
import {
  mappingGroupInputSchema,
  providerInstanceInputSchema,
  providerRouteSchema,
  transformationInputSchema,
  transformationPreviewSchema,
} from '../../schemas/provider.schema';
import { compileValidator } from '../../schemas/validator';
import { getErrorListRepository } from '../error-lists/wiring';
import { createOrder } from '../intake/create-order';
import { createQueuedOrdersDeps, getIntakeClaims, getOrderIntakeValidator } from '../intake/wiring';
import { cancelOrder } from '../journey-runtime/cancel-order';
import { cancelOrderDeps } from '../journey-runtime/wiring';
import { getClock, getContainer, getIdGenerator, getStorageClients } from '../platform/wiring';
import { getProductRepository } from '../products/wiring';
import { memo } from '../registry';
import type { ImportOrderFileDeps, OrderImportReport } from './import-order-file';
import type { PollProvidersDeps } from './poll-providers';
import type { PreviewDeps, PreviewInput } from './preview-transformation';
import type { ProcessInboundDeps } from './process-inbound-messages';
import type { ProviderConfigDeps } from './provider-instances';
import type { ReceiveWebhookDeps } from './receive-webhook';
import { recordInboundFailure } from './record-inbound-failure';
import { recordFulfillmentOrderEvent } from '../fulfillment-orders/record-fulfillment-order-event';
import { findOpenShipments } from '../fulfillment-orders/open-shipments';
import { getFulfillmentOrderRepository } from '../orders/wiring';
import { fulfillmentOrderDeps } from '../fulfillment-orders/wiring';
import { recordProviderReturn } from '../returns/record-provider-return';
import { returnDeps } from '../returns/wiring';
import type { TransformationDeps, TransformationInput } from './transformations';
import type { TransformMessageDeps } from './transform-message';

export {
  orderImportsContainer,
  providerInboundPoisonQueueName,
  providerInboundQueueName,
} from '../../ports/binding-names';

export { getProviderPlugins, getProviderSettings };

function routeValidator() {
  return memo('validator:provider-route', () => compileValidator<{ id: string }>(providerRouteSchema, 'id'));
}

function getPollCheckpoints(container: Awaited<ReturnType<typeof getContainer>>) {
  return memo('poll-checkpoints', () => new CosmosPollCheckpointStore(container, getClock()));
}

export async function providerConfigDeps(): Promise<ProviderConfigDeps> {
  const checkpoints = getPollCheckpoints(await getContainer('intake'));
  return {
    checkpoint: async (id) => (await checkpoints.get(id))?.checkpoint,
    plugins: getProviderPlugins(),
    settings: await getProviderSettings(),
    validate: memo('validators:provider-config', () => ({
      route: routeValidator(),
      instance: compileValidator<ProviderInstanceInput>(providerInstanceInputSchema, 'provider instance'),
      mappingGroup: compileValidator<{ name?: string; mappings: ValueMapping[] }>(
        mappingGroupInputSchema,
        'mapping group'
      ),
    })),
    clock: getClock(),
  };
}

export async function transformationDeps(): Promise<TransformationDeps> {
  return {
    plugins: getProviderPlugins(),
    settings: await getProviderSettings(),
    validate: memo('validators:transformation', () => ({
      route: routeValidator(),
      transformation: compileValidator<TransformationInput>(transformationInputSchema, 'transformation'),
    })),
    clock: getClock(),
  };
}

async function transformMessageDeps(): Promise<TransformMessageDeps> {
  const products = await getProductRepository();
  return {
    settings: await getProviderSettings(),
    productExists: async (sku) => (await products.get(sku)) !== undefined,
    validateOrder: getOrderIntakeValidator(),
    clock: getClock(),
  };
}

export async function previewDeps(): Promise<PreviewDeps> {
  return {
    ...(await transformMessageDeps()),
    plugins: getProviderPlugins(),
    validatePreview: memo('validator:transformation-preview', () =>
      compileValidator<PreviewInput>(transformationPreviewSchema, 'preview request')
    ),
  };
}

export function getInboundQueue(): InboundQueue {
  return memo<InboundQueue>(
    'provider-inbound-queue',
    () => new StorageInboundQueue(getStorageClients().queues.getQueueClient(providerInboundQueueName))
  );
}

export function getInboundArchive(): InboundArchive {
  return memo<InboundArchive>(
    'provider-inbound-archive',
    () => new BlobTextArchive(getStorageClients().blobs.getContainerClient(providerInboundArchiveContainer))
  );
}

function getProviderHttp(): ProviderHttp {
  return memo<ProviderHttp>('provider-http', () => new ProviderHttpClient());
}

/** Message ids are provider text: hashed where they become blob names and Cosmos ids. */
function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

export async function receiveWebhookDeps(): Promise<ReceiveWebhookDeps> {
  return {
    plugins: getProviderPlugins(),
    settings: await getProviderSettings(),
    claims: await getIntakeClaims(),
    queue: getInboundQueue(),
    archive: getInboundArchive(),
    hash,
    clock: getClock(),
  };
}

/** What turning provider messages into orders needs; cancelling one ends its journey through `instances`. */
export async function processInboundDeps(instances: JourneyInstances): Promise<ProcessInboundDeps> {
  const errors = await getErrorListRepository();
  const orderDeps = await createQueuedOrdersDeps();
  const queue = getInboundQueue();
  return {
    ...(await transformMessageDeps()),
    plugins: getProviderPlugins(),
    archive: getInboundArchive(),
    claims: await getIntakeClaims(),
    ids: getIdGenerator(),
    hash,
    http: getProviderHttp(),
    createOrder: (intake) => createOrder(orderDeps, intake),
    cancelOrder: async (orderId) => {
      await cancelOrder(await cancelOrderDeps(instances), orderId);
    },
    recordFailure: (message, failure) =>
      recordInboundFailure(
        { errors, hash, clock: getClock(), queueName: providerInboundQueueName },
        message,
        failure
      ),
    requeue: (message) => queue.sendAlone(message),
    recordFulfillmentOrderEvent: async (fulfillmentOrderId, event) => {
      const fulfillmentOrders = await fulfillmentOrderDeps();
      const { duplicate } = await recordFulfillmentOrderEvent(fulfillmentOrders, fulfillmentOrderId, event);
      return duplicate ? 'duplicate' : 'applied';
    },
    recordReturn: async (instanceId, output) => {
      const recorded = await recordProviderReturn(await returnDeps(), instanceId, output);
      return recorded === undefined || recorded.duplicate ? 'duplicate' : 'applied';
    },
  };
}

export async function pollProvidersDeps(): Promise<PollProvidersDeps> {
  return {
    plugins: getProviderPlugins(),
    settings: await getProviderSettings(),
    checkpoints: getPollCheckpoints(await getContainer('intake')),
    queue: getInboundQueue(),
    archive: getInboundArchive(),
    http: getProviderHttp(),
    hash,
    clock: getClock(),
    owner: memo('poll-owner', () => `${hostname()}:${process.pid}:${getIdGenerator().newId()}`),
    openShipments: async (carriers) => findOpenShipments(await getFulfillmentOrderRepository(), carriers),
  };
}

export async function importOrderFileDeps(instances: JourneyInstances): Promise<ImportOrderFileDeps> {
  return {
    ...(await processInboundDeps(instances)),
    reader: orderFileReader,
    reports: memo(
      'order-import-reports',
      () =>
        new BlobImportReportStore<OrderImportReport>(
          getStorageClients().blobs.getContainerClient(orderImportResultsContainer)
        )
    ),
  };
}
