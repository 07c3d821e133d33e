import { ConflictError, PreconditionFailedError } from '../../domain/errors';
import type { ProviderInstance } from '../../domain/providers/provider-instance';
import type { Clock } from '../../ports/clock';
import type { OpenShipment, OrderPoller, ProviderHttp, ProviderPlugins } from '../../ports/provider-plugins';
import type {
  InboundArchive,
  InboundQueue,
  PollCheckpoint,
  PollCheckpointStore,
} from '../../ports/providers';
import { withBody } from './inbound-body';
import { connectionOf, type ProviderSettings } from './provider-settings';

export interface PollProvidersDeps {
  plugins: ProviderPlugins;
  settings: ProviderSettings;
  checkpoints: PollCheckpointStore;
  queue: InboundQueue;
  archive: InboundArchive;
  http: ProviderHttp;
  hash: (text: string) => string;
  clock: Clock;
  /** This worker's name in a lease (a run elsewhere keeps its instance until its lease runs out). */
  owner: string;
  /** The shipments with these carriers still on their way, for a tracking poller. */
  openShipments: (carriers: readonly string[]) => Promise<OpenShipment[]>;
}

/** A run renews its lease with every page; a run dead for this long is taken over. */
export const pollLeaseMs = 30_000;

export interface PollRun {
  instanceId: string;
  outcome: 'polled' | 'busy' | 'failed';
  pages: number;
  messages: number;
  error?: string;
}

/**
 * The pollers' timer: every active instance whose definition polls and whose `polling` parameter is
 * on is polled once its interval (`pollIntervalSeconds`) has passed since its last run started.
 * Instances are polled side by side; one failing does not stop the others.
 */
export async function pollDueProviders(deps: PollProvidersDeps): Promise<PollRun[]> {
  const now = deps.clock.now().getTime();
  const due: ProviderInstance[] = [];
  for (const instance of await deps.settings.instances()) {
    const plugin = deps.plugins.get(instance.provider);
    if (!instance.active || plugin?.poller === undefined || instance.parameters.polling !== true) continue;
    const interval = Number(instance.parameters.pollIntervalSeconds ?? 60) * 1000;
    const last = (await deps.checkpoints.get(instance.id))?.checkpoint.lastRunStartedAt;
    if (last === undefined || now - Date.parse(last) >= interval) due.push(instance);
  }
  return Promise.all(due.map((instance) => pollInstance(deps, instance)));
}

/**
 * One run of an instance's poller: page after page from the checkpoint, each page's messages queued
 * before the checkpoint moves past them, so a run killed anywhere resumes at the page it was on and
 * at worst queues that page again (the consumer creates each order once). The checkpoint holds a
 * lease (ETag-guarded): two workers never poll one instance at once.
 */
export async function pollInstance(deps: PollProvidersDeps, instance: ProviderInstance): Promise<PollRun> {
  const poller = deps.plugins.get(instance.provider)?.poller;
  const run: PollRun = { instanceId: instance.id, outcome: 'polled', pages: 0, messages: 0 };
  if (poller === undefined) return { ...run, outcome: 'failed', error: `${instance.provider} has no poller` };
  let lease = await takeLease(deps, instance.id);
  if (lease === undefined) return { ...run, outcome: 'busy' };
  try {
    const shipments =
      poller.tracksCarriers === undefined ? undefined : await deps.openShipments(poller.tracksCarriers);
    for (;;) {
      const page = await poller.nextPage(
        connectionOf(instance),
        lease.checkpoint.position,
        deps.http,
        deps.clock.now(),
        shipments
      );
      await queuePage(deps, instance, poller, page.messages);
      run.pages += 1;
      run.messages += page.messages.length;
      const done = page.position.cursor === undefined;
      const position = done
        ? { ...(page.position.since === undefined ? {} : { since: page.position.since }) }
        : page.position;
      lease = await saveCheckpoint(
        deps,
        lease,
        {
          ...lease.checkpoint,
          position,
          pages: run.pages,
          messages: run.messages,
          ...(done ? { lastRunEndedAt: deps.clock.now().toISOString() } : {}),
        },
        done
      );
      if (done) return run;
    }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await saveCheckpoint(deps, lease, { ...lease.checkpoint, lastError: error }, true).catch(() => undefined);
    return { ...run, outcome: 'failed', error };
  }
}

async function queuePage(
  deps: PollProvidersDeps,
  instance: ProviderInstance,
  poller: OrderPoller,
  polled: readonly { messageType: string; messageId: string; text: string }[]
): Promise<void> {
  const receivedAt = deps.clock.now().toISOString();
  const messages = await Promise.all(
    polled.map(({ messageType, messageId, text }) =>
      withBody(
        deps.archive,
        deps.hash,
        { instanceId: instance.id, messageType, messageId, receivedAt, via: 'poll' },
        text
      )
    )
  );
  await deps.queue.sendAll(messages);
  if (poller.acknowledge !== undefined && polled.length > 0) {
    await poller.acknowledge(connectionOf(instance), polled, deps.http);
  }
}

interface Lease {
  checkpoint: PollCheckpoint;
  etag: string;
}

async function takeLease(deps: PollProvidersDeps, instanceId: string): Promise<Lease | undefined> {
  const now = deps.clock.now();
  const found = await deps.checkpoints.get(instanceId);
  if (found !== undefined) {
    const { leaseOwner, leaseUntil } = found.checkpoint;
    if (leaseOwner !== undefined && leaseUntil !== undefined && Date.parse(leaseUntil) > now.getTime())
      return undefined;
  }
  const checkpoint: PollCheckpoint = {
    ...(found?.checkpoint ?? { position: {} }),
    instanceId,
    lastRunStartedAt: now.toISOString(),
    pages: 0,
    messages: 0,
    leaseOwner: deps.owner,
    leaseUntil: new Date(now.getTime() + pollLeaseMs).toISOString(),
  };
  delete checkpoint.lastError;
  try {
    return { checkpoint, etag: await deps.checkpoints.put(checkpoint, found?.etag) };
  } catch (err) {
    // Another worker took it between our read and our write.
    if (err instanceof PreconditionFailedError || err instanceof ConflictError) return undefined;
    throw err;
  }
}

/** Stores the checkpoint at the lease's ETag, renewing the lease, or giving it up when `release`. */
async function saveCheckpoint(
  deps: PollProvidersDeps,
  lease: Lease,
  next: PollCheckpoint,
  release: boolean
): Promise<Lease> {
  const checkpoint: PollCheckpoint = { ...next };
  if (release) {
    delete checkpoint.leaseOwner;
    delete checkpoint.leaseUntil;
  } else {
    checkpoint.leaseUntil = new Date(deps.clock.now().getTime() + pollLeaseMs).toISOString();
  }
  return { checkpoint, etag: await deps.checkpoints.put(checkpoint, lease.etag) };
}
