import type { ConfigItem } from '../../domain/configuration';

/**
 * One kind of configuration document as bundles see it, built on the feature's own repository and
 * use cases (there is one way to store a journey, and an import goes through it as a user would).
 */
export interface ConfigKind {
  /** The item kind in bundles: `policy`, `journey`, ... */
  readonly kind: string;
  /** Its items say whether the document is `published` (policies, journeys); other kinds' items never do. */
  readonly publishes?: boolean;
  /** Every document of this kind as a bundle item (no secrets, no storage fields), ordered by id. */
  list(): Promise<ConfigItem[]>;
  /** Makes the document what the item says (written, published or unpublished as it says). */
  put(item: ConfigItem): Promise<void>;
  /** The order to write a kind's items in when it matters (the new default strategy first). */
  writeOrder?: (a: ConfigItem, b: ConfigItem) => number;
}
