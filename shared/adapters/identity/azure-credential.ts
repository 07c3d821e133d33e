import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';

/**
 * The credential the app's own SDK clients sign in with when a setting names a resource but holds no
 * key (docs/deploy.md): in Azure the user-assigned managed identity whose client id is given; on a
 * laptop, whatever `az login` / `azd auth login` left behind.
 */
export function createAzureCredential(managedIdentityClientId?: string): TokenCredential {
  return managedIdentityClientId === undefined
    ? new DefaultAzureCredential()
    : new DefaultAzureCredential({ managedIdentityClientId });
}

export type { TokenCredential };
