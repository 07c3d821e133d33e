import { CosmosPolicyRepository } from '../../adapters/cosmos/policy-repository';
import type { PolicyRepository } from '../../ports/policies';
import { getClock, getContainer } from '../platform/wiring';

/** Policy versions in `config` (partition `policy`). */
export async function getPolicyRepository(): Promise<PolicyRepository> {
  return new CosmosPolicyRepository(await getContainer('config'), getClock());
}

/** What every policy use case needs: the versions. */
export async function policyDeps(): Promise<{ policies: PolicyRepository }> {
  return { policies: await getPolicyRepository() };
}
