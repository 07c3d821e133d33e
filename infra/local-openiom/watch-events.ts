import { ServiceBusClient } from '@azure/service-bus';

/**
 * `npm run watch-events`: prints every business event on the `business-events` topic's `all`
 * subscription as it arrives, with the `@azure/service-bus` client — the connection string is the
 * `servicebus:` line `npm start` prints (pass it as SERVICEBUS_CONNECTION or the first argument).
 * Each message is completed once printed, so events are printed once.
 */
function main(): void {
  const connection = process.argv[2] ?? process.env.SERVICEBUS_CONNECTION;
  if (!connection) {
    console.error('usage: npm run watch-events -- "<the servicebus: connection string npm start printed>"');
    process.exit(2);
  }
  const client = new ServiceBusClient(connection);
  const receiver = client.createReceiver('business-events', 'all');
  receiver.subscribe({
    processMessage: (message) => {
      const event = message.body as { type?: string; data?: { orderId?: string; name?: string } };
      console.log(
        `${new Date().toISOString()} ${event.data?.orderId ?? '-'} ${event.data?.name ?? event.type ?? ''}`
      );
      console.log(`  ${JSON.stringify(message.body)}`);
      return Promise.resolve();
    },
    processError: ({ error }) => {
      console.error(`receive failed: ${error.message}`);
      return Promise.resolve();
    },
  });
  const stop = async () => {
    await receiver.close();
    await client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main();
