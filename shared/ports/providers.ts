import type { InboundMessage } from '../domain/providers/inbound-message';
import type { ProviderInstance } from '../domain/providers/provider-instance';
import type { Transformation } from '../domain/providers/transformation';
import type { MappingGroup } from '../domain/providers/value-mappings';
import type { PollPosition } from './provider-plugins';

/** Provider instances, mapping groups and transformations in the `config` container. */
export interface ProviderConfigRepository {
  getInstance(id: string): Promise<ProviderInstance | undefined>;
  listInstances(): Promise<ProviderInstance[]>;
  putInstance(instance: ProviderInstance): Promise<void>;
  getMappingGroup(id: string): Promise<MappingGroup | undefined>;
  listMappingGroups(): Promise<MappingGroup[]>;
  putMappingGroup(group: MappingGroup): Promise<void>;
  getTransformation(id: string): Promise<{ transformation: Transformation; etag: string } | undefined>;
  listTransformations(): Promise<Transformation[]>;
  /** Creates (no `etag`) or replaces at `etag`; ConflictError / PreconditionFailedError when raced. */
  putTransformation(transformation: Transformation, etag?: string): Promise<void>;
}

/** A poller's checkpoint per instance, in `intake`. */
export interface PollCheckpoint {
  instanceId: string;
  position: PollPosition;
  /** When the last run started and ended, and how the last run failed (cleared by a good run). */
  lastRunStartedAt?: string;
  lastRunEndedAt?: string;
  lastError?: string;
  /** Pages and messages read by the last run (so far, while it runs). */
  pages?: number;
  messages?: number;
  /** Who runs the poll now, until when (a run renews it per page; a dead run's lease runs out). */
  leaseOwner?: string;
  leaseUntil?: string;
}

export interface PollCheckpointStore {
  get(instanceId: string): Promise<{ checkpoint: PollCheckpoint; etag: string } | undefined>;
  /** Creates (no `etag`) or replaces at `etag`: PreconditionFailedError / ConflictError when raced. Returns the new ETag. */
  put(checkpoint: PollCheckpoint, etag?: string): Promise<string>;
}

/** The `provider-inbound` queue; sends may share a queue message (`{messages: [...]}`). */
export interface InboundQueue {
  send(message: InboundMessage): Promise<void>;
  sendAll(messages: readonly InboundMessage[]): Promise<void>;
  sendAlone(message: InboundMessage): Promise<void>;
}

/** Provider message bodies as received, in the `provider-inbound-archive` container. */
export interface InboundArchive {
  /** Stores the text under `name` unless something is there already; answers the name. */
  putIfAbsent(name: string, text: string): Promise<string>;
  get(name: string): Promise<string | undefined>;
}
