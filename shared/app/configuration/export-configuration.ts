import { bundleOf, bundleText, type ConfigBundle, type ConfigItem } from '../../domain/configuration';
import type { ConfigKind } from './config-kind';

export interface ExportConfigurationDeps {
  /** Every kind a bundle holds, in the order an import writes them (what is referenced first). */
  kinds: readonly ConfigKind[];
}

/** Every configuration document of every kind, as bundle items. */
export async function currentItems(deps: ExportConfigurationDeps): Promise<ConfigItem[]> {
  const lists = await Promise.all(deps.kinds.map((kind) => kind.list()));
  return lists.flat();
}

/**
 * `GET /api/v1/config/export`: the whole configuration as one bundle, and its text (stable key order,
 * sorted items), which is what is answered, so two exports of the same configuration are equal bytes.
 */
export async function exportConfiguration(
  deps: ExportConfigurationDeps
): Promise<{ bundle: ConfigBundle; text: string }> {
  const bundle = bundleOf(await currentItems(deps));
  return { bundle, text: bundleText(bundle) };
}
