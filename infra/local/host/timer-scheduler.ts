import type { ContainerClient } from '@azure/storage-blob';
import { Cron } from 'croner';
import { resolveAppSettings } from './binding-expressions';
import { bindingString } from './core-types';
import { withBlobLease } from './blob-lease';
import { hostsContainer } from './blob-listener';
import type { RegisteredFunction } from './function-registry';
import type { Invoker } from './invoker';
import { describeError, type HostLogger } from './logger';
import type { StorageClients } from './storage-clients';
import { jsonData } from './typed-data';

/** Renewed while a run lasts; only bounds how long a crashed host holds the schedule. */
const statusLeaseSeconds = 30;
/** A timer may fire a little before its time; an occurrence counts as run when `Next` is this far on. */
const occurrenceSlackMs = 500;

interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

/**
 * A timer trigger: six-field NCRONTAB (`sec min hour day month weekday`), `runOnStartup`, and
 * `isPastDue` when the host was down at a scheduled time. The schedule status is kept in
 * `azure-webjobs-hosts` as the Functions host's schedule monitor does. Runs of one function never
 * overlap, and of the hosts sharing a storage account one runs each occurrence.
 */
export class TimerScheduler {
  #cron: Cron;
  #hosts: ContainerClient;
  #running: Promise<void> | undefined;
  #stopping = false;

  constructor(
    private readonly fn: RegisteredFunction,
    clients: StorageClients,
    private readonly hostId: string,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    private readonly clock: () => Date = () => new Date()
  ) {
    const schedule = resolveAppSettings(bindingString(fn.trigger, 'schedule'));
    this.#cron = new Cron(schedule, { mode: '6-part', paused: true }, () => this.#fire(false));
    this.#hosts = clients.blobService(undefined).getContainerClient(hostsContainer);
  }

  async start(): Promise<void> {
    await this.#hosts.createIfNotExists();
    const status = await this.#readStatus();
    const missed = status !== undefined && new Date(status.Next).getTime() < this.clock().getTime();
    const runOnStartup = this.fn.trigger.runOnStartup === true;
    if (missed || runOnStartup) this.#fire(missed, runOnStartup);
    else if (!status) {
      await this.#writeStatus(undefined).catch((err) =>
        this.logger.log(
          'warning',
          `[${this.fn.name}] could not save its schedule status: ${describeError(err)}`
        )
      );
    }
    this.#cron.resume();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#cron.stop();
    await this.#running;
  }

  #fire(isPastDue: boolean, onStartup = false): void {
    if (this.#stopping) return;
    if (this.#running) {
      this.logger.log('warning', `[${this.fn.name}] skipped a run: the previous one is still going.`);
      return;
    }
    this.#running = this.#run(isPastDue, onStartup).finally(() => (this.#running = undefined));
  }

  /**
   * One occurrence, run by one of the hosts sharing the storage account (the Functions host's
   * singleton timer): the schedule status is leased while it runs, and a host that gets it after
   * another has run this occurrence finds `Next` already past it and does nothing.
   */
  async #run(isPastDue: boolean, onStartup: boolean): Promise<void> {
    try {
      await withBlobLease(this.#statusBlob(), statusLeaseSeconds, async (leaseId) => {
        const status = await this.#readStatus();
        const now = this.clock();
        const ranElsewhere =
          status !== undefined && new Date(status.Next).getTime() > now.getTime() + occurrenceSlackMs;
        if (ranElsewhere && !onStartup) return;
        const timerInfo = {
          Schedule: { AdjustForDST: true },
          ScheduleStatus: status ?? null,
          IsPastDue: isPastDue,
        };
        try {
          await this.invoker.invoke(this.fn, { data: jsonData(timerInfo) });
        } catch (err) {
          this.logger.log('error', `[${this.fn.name}] timer run failed: ${describeError(err)}`);
        }
        await this.#writeStatus(now, leaseId);
      });
    } catch (err) {
      this.logger.log(
        'warning',
        `[${this.fn.name}] could not lease or save its schedule status: ${describeError(err)}`
      );
    }
  }

  #statusBlob() {
    return this.#hosts.getBlockBlobClient(`timers/${this.hostId}/${this.fn.name}/status`);
  }

  async #readStatus(): Promise<ScheduleStatus | undefined> {
    try {
      return JSON.parse((await this.#statusBlob().downloadToBuffer()).toString('utf8')) as ScheduleStatus;
    } catch {
      return undefined;
    }
  }

  async #writeStatus(last: Date | undefined, leaseId?: string): Promise<void> {
    const now = this.clock();
    const next = this.#cron.nextRun(now) ?? now;
    const status: ScheduleStatus = {
      Last: (last ?? now).toISOString(),
      Next: next.toISOString(),
      LastUpdated: now.toISOString(),
    };
    const body = JSON.stringify(status);
    await this.#statusBlob().upload(
      body,
      Buffer.byteLength(body),
      leaseId ? { conditions: { leaseId } } : {}
    );
  }
}
