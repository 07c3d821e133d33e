/** HTTP load with autocannon, the same settings for every target; latency percentiles in µs resolution. */
import autocannon from 'autocannon';
import { readFileSync } from 'fs';
import { percentile, Samples } from './support';

export interface HttpLoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Per-request timeout (s). */
  timeoutSeconds: number;
  /** A further run with one connection (no queueing): the latency a lone request sees. */
  unloadedSeconds: number;
}

export interface HttpFigures {
  target: string;
  url: string;
  requests: number;
  seconds: number;
  reqPerSec: number;
  /** Latency in ms, from every response's own timing (autocannon's histogram rounds to whole ms). */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time (user + system) of the server process per request, in ms (Linux /proc; NaN elsewhere). */
  serverCpuMsPerRequest: number;
  /** Share of one core the server process used during the measured run. */
  serverCpuShare: number;
  /** Share of one core the load generator (this process) used: near 1 means it was the limit. */
  generatorCpuShare: number;
  /** One connection, one request at a time. */
  unloaded: { requests: number; p50Ms: number; p99Ms: number };
}

const ticksPerSecond = 100; // USER_HZ on Linux

/** utime + stime of a process in ms, from /proc/<pid>/stat; NaN when unavailable. */
function processCpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

function run(
  url: string,
  settings: HttpLoadSettings,
  seconds: number,
  samples?: Samples,
  connections?: number
) {
  return new Promise<{ result: autocannon.Result; wallSeconds: number }>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const instance = autocannon(
      {
        url,
        method: 'GET',
        connections: connections ?? settings.connections,
        pipelining: 1,
        duration: seconds,
        timeout: settings.timeoutSeconds,
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
        resolve({ result, wallSeconds: Number(process.hrtime.bigint() - started) / 1e9 });
      }
    );
    if (samples) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
      });
    }
  });
}

/** Checks the answer once, warms up (discarded), then measures under load and unloaded. */
export async function measureHttp(
  target: string,
  url: string,
  settings: HttpLoadSettings,
  serverPid?: number
): Promise<HttpFigures> {
  const probe = await fetch(url);
  const text = await probe.text();
  if (probe.status !== 200 || (JSON.parse(text) as { status?: string }).status !== 'ok') {
    throw new Error(`${target}: GET ${url} answered ${probe.status} ${text}`);
  }
  await run(url, settings, settings.warmupSeconds);
  const samples = new Samples();
  const serverCpuBefore = processCpuMs(serverPid);
  const generatorBefore = process.cpuUsage();
  const { result, wallSeconds } = await run(url, settings, settings.durationSeconds, samples);
  const generator = process.cpuUsage(generatorBefore);
  const serverCpuMs = processCpuMs(serverPid) - serverCpuBefore;
  const sorted = samples.sorted();
  let sum = 0;
  for (const v of sorted) sum += v;

  const lone = new Samples();
  await run(url, settings, settings.unloadedSeconds, lone, 1);
  const loneSorted = lone.sorted();
  return {
    target,
    url,
    requests: sorted.length,
    seconds: wallSeconds,
    reqPerSec: sorted.length / wallSeconds,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    meanMs: sum / sorted.length,
    maxMs: sorted[sorted.length - 1] ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuMsPerRequest: serverCpuMs / sorted.length,
    serverCpuShare: serverCpuMs / 1000 / wallSeconds,
    generatorCpuShare: (generator.user + generator.system) / 1e6 / wallSeconds,
    unloaded: {
      requests: loneSorted.length,
      p50Ms: percentile(loneSorted, 50),
      p99Ms: percentile(loneSorted, 99),
    },
  };
}
