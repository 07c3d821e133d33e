import type { ContainerClient } from '@azure/storage-blob';
import { Cron } from 'croner';
import { resolveAppSettings } from './binding-expressions';
import { bindingString } from './core-types';
import { hostsContainer } from './blob-listener';
import type { RegisteredFunction } from './function-registry';
import type { Invoker } from './invoker';
import { describeError, type HostLogger } from './logger';
import type { StorageClients } from './storage-clients';
import { jsonData } from './typed-data';

interface ScheduleStatus {
  Last: string;
  Next: string;
  LastUpdated: string;
}

/**
 * A timer trigger: six-field NCRONTAB (`sec min hour day month weekday`), `runOnStartup`, and
 * `isPastDue` when the host was down at a scheduled time. The schedule status is kept in
 * `azure-webjobs-hosts` as the Functions host's schedule monitor does. Runs of one function never overlap.
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
    if (missed || this.fn.trigger.runOnStartup === true) this.#fire(missed);
    else if (!status) await this.#writeStatus(undefined);
    this.#cron.resume();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#cron.stop();
    await this.#running;
  }

  #fire(isPastDue: boolean): void {
    if (this.#stopping) return;
    if (this.#running) {
      this.logger.log('warning', `[${this.fn.name}] skipped a run: the previous one is still going.`);
      return;
    }
    this.#running = this.#run(isPastDue).finally(() => (this.#running = undefined));
  }

  async #run(isPastDue: boolean): Promise<void> {
    const status = await this.#readStatus();
    const now = this.clock();
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
    await this.#writeStatus(now).catch((err) =>
      this.logger.log(
        'warning',
        `[${this.fn.name}] could not save its schedule status: ${describeError(err)}`
      )
    );
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

  async #writeStatus(last: Date | undefined): Promise<void> {
    const now = this.clock();
    const next = this.#cron.nextRun(now) ?? now;
    const status: ScheduleStatus = {
      Last: (last ?? now).toISOString(),
      Next: next.toISOString(),
      LastUpdated: now.toISOString(),
    };
    const body = JSON.stringify(status);
    await this.#statusBlob().upload(body, Buffer.byteLength(body));
  }
}
