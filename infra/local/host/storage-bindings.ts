import { bindingString, type RpcBindingInfo } from './core-types';
import { resolveAppSettings, resolveBindingPath } from './binding-expressions';
import type { BindingContext, InputBindingResolver, Invoker, OutputBindingWriter } from './invoker';
import { encodeMessage, type MessageEncoding } from './queue-encoding';
import { ServiceBusClients } from './service-bus-clients';
import type { StorageClients } from './storage-clients';
import { toPayload } from './typed-data';

/**
 * Storage bindings the app uses: queue and blob outputs, blob inputs, and Service Bus outputs.
 * A Service Bus output goes to the namespace its connection setting names (the local broker when the
 * host started it); with no connection set it lands on the Azurite queue of the same name instead.
 */
export function registerStorageBindings(
  invoker: Invoker,
  clients: StorageClients,
  encoding: MessageEncoding,
  serviceBus: ServiceBusClients
): void {
  const queueWriter: OutputBindingWriter = async (binding, value, context) => {
    const name = resolveBindingPath(
      bindingString(binding, 'queueName') || bindingString(binding, 'topicName'),
      context.bindingData,
      context.now
    );
    const queue = clients.queueService(binding.connection).getQueueClient(name.toLowerCase());
    await queue.createIfNotExists();
    // An array output means one message per element, as in Azure.
    for (const message of Array.isArray(value) ? (value as unknown[]) : [value]) {
      await queue.sendMessage(encodeMessage(toPayload(message), encoding));
    }
  };

  const serviceBusWriter: OutputBindingWriter = async (binding, value, context) => {
    const connection = ServiceBusClients.connectionOf(bindingString(binding, 'connection'));
    if (!connection) return queueWriter({ ...binding, connection: undefined }, value, context);
    const entity = resolveBindingPath(
      bindingString(binding, 'queueName') || bindingString(binding, 'topicName'),
      context.bindingData,
      context.now
    );
    await serviceBus.send(connection, entity, Array.isArray(value) ? (value as unknown[]) : [value]);
  };

  const blobWriter: OutputBindingWriter = async (binding, value, context) => {
    const { container, blobName } = blobLocation(binding, context);
    const containerClient = clients.blobService(binding.connection).getContainerClient(container);
    await containerClient.createIfNotExists();
    const payload = toPayload(value);
    await containerClient.getBlockBlobClient(blobName).upload(payload, payload.length);
  };

  const blobReader: InputBindingResolver = async (binding, context) => {
    const { container, blobName } = blobLocation(binding, context);
    const blob = clients
      .blobService(binding.connection)
      .getContainerClient(container)
      .getBlobClient(blobName);
    if (!(await blob.exists())) return undefined;
    const content = await blob.downloadToBuffer();
    return binding.dataType === 'string' ? { string: content.toString('utf8') } : { bytes: content };
  };

  invoker.outputWriters.set('queue', queueWriter);
  invoker.outputWriters.set('servicebus', serviceBusWriter);
  invoker.outputWriters.set('blob', blobWriter);
  invoker.inputResolvers.set('blob', blobReader);
}

function blobLocation(
  binding: RpcBindingInfo,
  context: BindingContext
): { container: string; blobName: string } {
  const path = resolveBindingPath(
    resolveAppSettings(bindingString(binding, 'path')),
    context.bindingData,
    context.now
  );
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw new Error(`Blob path "${path}" must be "container/name".`);
  return { container: path.slice(0, slash).toLowerCase(), blobName: path.slice(slash + 1) };
}
