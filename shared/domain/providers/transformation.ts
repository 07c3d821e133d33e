/**
 * A user's transformation: JSONata for one message type, versioned (each change a new version,
 * earlier ones kept), copied from a built-in or another transformation and edited.
 */
export interface TransformationVersion {
  version: number;
  expression: string;
  createdAt: string;
}

export interface Transformation {
  id: string;
  messageType: string;
  provider?: string;
  description?: string;
  /** Oldest first; the last one is in force. */
  versions: TransformationVersion[];
  createdAt: string;
  updatedAt: string;
}

export function latestVersion(transformation: Transformation): TransformationVersion {
  return transformation.versions[transformation.versions.length - 1]!;
}
