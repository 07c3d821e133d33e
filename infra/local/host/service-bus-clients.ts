import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';

/** The app's Service Bus connections, by connection string: one client and one sender per entity. */
export class ServiceBusClients {
  #clients = new Map<string, ServiceBusClient>();
  #senders = new Map<string, ServiceBusSender>();

  /** The connection string a binding's `connection` setting names (Functions' default: AzureWebJobsServiceBus). */
  static connectionOf(
    settingName: string | undefined,
    env: NodeJS.ProcessEnv = process.env
  ): string | undefined {
    const name = settingName || 'AzureWebJobsServiceBus';
    return env[name] || env[`AzureWebJobs${name}`] || undefined;
  }

  client(connectionString: string): ServiceBusClient {
    let client = this.#clients.get(connectionString);
    if (!client) {
      client = new ServiceBusClient(connectionString);
      this.#clients.set(connectionString, client);
    }
    return client;
  }

  /** Sends each value as one message, as a Service Bus output binding does. */
  async send(connectionString: string, entity: string, values: unknown[]): Promise<void> {
    const key = `${connectionString}\u0000${entity}`;
    let sender = this.#senders.get(key);
    if (!sender) {
      sender = this.client(connectionString).createSender(entity);
      this.#senders.set(key, sender);
    }
    await sender.sendMessages(values.map(toMessage));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#senders.values()].map((s) => s.close()));
    await Promise.allSettled([...this.#clients.values()].map((c) => c.close()));
    this.#senders.clear();
    this.#clients.clear();
  }
}

function toMessage(value: unknown): ServiceBusMessage {
  // Objects travel as JSON, strings as text, Buffers as bytes: what the SDK does with a body.
  return { body: value };
}
