import { app } from '@azure/functions';
import { readTrace } from '../shared/app/telemetry/read-trace';
import { readTraceDeps, startTelemetry, stopTelemetry } from '../shared/app/telemetry/wiring';
import { withInvocationTelemetry } from '../shared/http/invocation-telemetry';
import { route } from '../shared/http/route';

/**
 * Traces and structured logs (docs/telemetry.md): set up before the other entry points load, so the
 * Application Insights distro can instrument the SDKs they bring in.
 */
startTelemetry();

app.hook.preInvocation((hook) => {
  hook.functionHandler = withInvocationTelemetry(hook.invocationContext, hook.functionHandler);
});

app.hook.appTerminate(() => stopTelemetry());

/** GET /api/v1/traces/{traceId}: the spans of one trace recorded by this app, oldest first. */
route('getTrace', 'GET', 'v1/traces/{traceId}', async (request) => ({
  jsonBody: await readTrace(readTraceDeps(), request.params.traceId ?? ''),
}));
