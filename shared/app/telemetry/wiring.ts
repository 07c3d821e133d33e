import { createAzureCredential } from '../../adapters/identity/azure-credential';
import {
  spanFileOf,
  startAzureMonitor,
  startFileTracing,
  startWithoutTracing,
  type StartedTracing,
} from '../../adapters/telemetry/start-tracing';
import { getTelemetrySettings } from '../../config';
import type { ReadTraceDeps } from './read-trace';

/**
 * Tracing is set up once per worker, before the first invocation, and not through the registry: the
 * OpenTelemetry globals it registers outlive any test's reset.
 */
let started: StartedTracing | undefined;

/**
 * Sets up spans and trace propagation (docs/telemetry.md): Application Insights when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set, else a local span file under the data directory,
 * or nothing but log fields with OPENIOM_TRACES=off.
 */
export function startTelemetry(): void {
  if (started !== undefined) return;
  const settings = getTelemetrySettings();
  if (settings.appInsightsConnectionString !== undefined) {
    const credential =
      settings.azureClientId === undefined ? undefined : createAzureCredential(settings.azureClientId);
    started = startAzureMonitor(settings.appInsightsConnectionString, credential);
  } else if (settings.traceDataDir !== undefined) {
    started = startFileTracing(spanFileOf(settings.traceDataDir));
  } else {
    started = startWithoutTracing();
  }
}

/** Writes out buffered spans (the host is stopping). */
export async function stopTelemetry(): Promise<void> {
  await started?.shutdown();
}

/** What `GET /api/v1/traces/{traceId}` needs: the local span file's reader, when spans are kept here. */
export function readTraceDeps(): ReadTraceDeps {
  startTelemetry();
  return started?.reader === undefined ? {} : { reader: started.reader };
}
