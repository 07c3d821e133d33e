import { instanceFromInput } from '../../shared/domain/providers/provider-instance';
import type { ProviderConnection, ProviderPlugin } from '../../shared/ports/provider-plugins';

/**
 * The connection an instance of `plugin` saved with these parameters would give its plug-in
 * (defaults filled in); throws with the issues when the save would be refused.
 */
export function connectionOf(
  plugin: ProviderPlugin,
  instanceId: string,
  parameters: Record<string, string | number | boolean>,
  secrets: Record<string, string> = {}
): ProviderConnection {
  const { instance, issues } = instanceFromInput(
    instanceId,
    { provider: plugin.definition.id, active: true, parameters, secrets },
    plugin.definition,
    undefined,
    new Date()
  );
  issues.push(...(plugin.checkParameters?.(instance.parameters) ?? []));
  if (issues.length > 0) throw new Error(`the instance would be refused: ${JSON.stringify(issues)}`);
  return { instanceId, parameters: instance.parameters, secrets: instance.secrets };
}
