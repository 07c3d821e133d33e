import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { JourneyInstanceInput, JourneyStatusView } from '../../domain/journeys/journey-runtime';
import type { JourneyInstanceStatus as JourneyStatus } from '../../domain/journeys/interpret-journey';
import type { JourneyInstances, JourneyInstanceStatus } from '../../ports/journey-instances';
import type { JourneyCounts } from '../../ports/metrics';
import { journeyFunctions } from './journey-orchestrator';

/** Journey instances through the Durable Functions client of the invocation. */
export class DurableJourneyInstances implements JourneyInstances {
  constructor(private readonly client: DurableClient) {}

  async start(input: JourneyInstanceInput): Promise<'started' | 'exists'> {
    const instanceId = input.journey.instanceId;
    const status = await this.client.getStatus(instanceId).catch(() => undefined);
    if (status && status.runtimeStatus !== df.OrchestrationRuntimeStatus.Pending) return 'exists';
    try {
      // A Pending instance may be a start that a crash cut short: starting it again makes the local
      // host send its start message again (and answer that it exists); Azure's start is crash-safe.
      await this.client.startNew(journeyFunctions.orchestrator, { instanceId, input });
      return 'started';
    } catch (err) {
      if (status) return 'exists';
      throw err;
    }
  }

  async raise(instanceId: string, name: string, data: unknown): Promise<void> {
    await this.client.raiseEvent(instanceId, name, data);
  }

  async status(instanceId: string): Promise<JourneyInstanceStatus | undefined> {
    try {
      const status = await this.client.getStatus(instanceId, { showHistory: false, showInput: false });
      if (!status) return undefined;
      return {
        runtimeStatus: String(status.runtimeStatus),
        view: (status.customStatus as JourneyStatusView | null | undefined) ?? null,
      };
    } catch {
      // The client answers 404 for an unknown instance by throwing.
      return undefined;
    }
  }

  async suspend(instanceId: string, reason: string): Promise<void> {
    await this.client.suspend(instanceId, reason);
  }

  async resume(instanceId: string, reason: string): Promise<void> {
    await this.client.resume(instanceId, reason);
  }
}

/** Where Durable's runtime status alone says how a journey stands (before its first custom status). */
const statusOfRuntime: Record<string, JourneyStatus> = {
  Pending: 'running',
  Running: 'running',
  Suspended: 'paused',
  Completed: 'completed',
  Failed: 'failed',
  Terminated: 'cancelled',
};

/**
 * Journey instances by status from the task hub's instance store (shared by every worker): each
 * journey orchestration's custom status says running, waiting, failed (waiting for a reprocess),
 * completed or cancelled; Durable's own Suspended is a pause. One listing of the instances, so its
 * cost grows with the instances the task hub keeps (docs/metrics.md).
 */
export class DurableJourneyCounts implements JourneyCounts {
  constructor(private readonly client: DurableClient) {}

  async byStatus(): Promise<Record<JourneyStatus, number>> {
    const counts: Record<JourneyStatus, number> = {
      running: 0,
      waiting: 0,
      paused: 0,
      failed: 0,
      completed: 0,
      cancelled: 0,
    };
    for (const instance of await this.client.getStatusBy({})) {
      if (instance.name !== journeyFunctions.orchestrator) continue;
      const runtime = String(instance.runtimeStatus);
      const view = instance.customStatus as JourneyStatusView | null | undefined;
      const status = runtime === 'Suspended' ? 'paused' : (view?.status ?? statusOfRuntime[runtime]);
      if (status !== undefined) counts[status] += 1;
    }
    return counts;
  }
}
