import { Agent as HttpsAgent } from 'node:https';
import { CosmosClient } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';

/** A key (local server, emulator) or a token credential (a managed identity with data-plane RBAC). */
export type CosmosConnection = { endpoint: string } & ({ key: string } | { credential: TokenCredential });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True only for https to this machine — the one case where a self-signed certificate is acceptable. */
export function isLoopbackHttps(endpoint: URL): boolean {
  return endpoint.protocol === 'https:' && LOOPBACK_HOSTS.has(endpoint.hostname);
}

/**
 * Build a Cosmos client for Azure or for the embedded server (docs/architecture.md).
 *
 * - Endpoint discovery is off: the embedded server advertises `https://` endpoints in its account
 *   metadata even when it serves plain HTTP, and following them breaks every request. Against Azure
 *   we address the account endpoint directly anyway (single-region writes).
 * - The SDK's own throttle retries are off: `withCosmosErrors` (cosmos-errors.ts) is the one retry
 *   policy for 429s, so attempts do not multiply (SDK 9 × ours) and the bound is ours to choose.
 *   Call sites that use the raw client must wrap calls in `withCosmosErrors`.
 * - A self-signed certificate is accepted only for https on loopback (the embedded server's
 *   https mode, the Cosmos emulator); never for a remote host.
 */
export function createCosmosClient(connection: CosmosConnection): CosmosClient {
  const url = new URL(connection.endpoint);
  return new CosmosClient({
    endpoint: connection.endpoint,
    ...('key' in connection ? { key: connection.key } : { aadCredentials: connection.credential }),
    connectionPolicy: {
      enableEndpointDiscovery: false,
      retryOptions: { maxRetryAttemptCount: 0 },
    },
    ...(isLoopbackHttps(url)
      ? { agent: new HttpsAgent({ rejectUnauthorized: false, keepAlive: true }) }
      : {}),
  });
}
