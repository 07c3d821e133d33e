import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { checkHealth, sharedWhileRunning, type HealthReport } from '../shared/app/health/check-health';
import { getHealthProbes } from '../shared/composition';
import { problem } from '../shared/http/problem';

/** Long enough for a cold Cosmos/Azurite connection, short enough for a load balancer's probe. */
const HEALTH_TIMEOUT_MS = 5000;

/** One check at a time; requests that arrive meanwhile share its report. */
const currentReport: () => Promise<HealthReport> = sharedWhileRunning(() =>
  checkHealth(getHealthProbes(), { timeoutMs: HEALTH_TIMEOUT_MS })
);

/**
 * GET /api/health (DESIGN §7): 200 `{status:"ok"}` once storage and Cosmos answer, else 503
 * problem+json naming the failed checks. Anonymous, so failure reasons go to the log only —
 * they can carry host names and SDK details.
 */
export async function health(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let report: HealthReport;
  try {
    report = await currentReport();
  } catch (err) {
    // Bad configuration is the most common reason for "unhealthy" on a fresh deployment.
    context.error('health: cannot build probes', err);
    return problem(503, 'Service unavailable', 'The service is not configured.', {
      extra: { checks: [{ name: 'config', ok: false }] },
    });
  }

  if (report.ok) {
    return { status: 200, headers: { 'cache-control': 'no-store' }, jsonBody: { status: 'ok' } };
  }

  const failed = report.checks.filter((check) => !check.ok);
  for (const check of failed) context.warn(`health: ${check.name} failed: ${check.error ?? 'unknown'}`);
  return problem(
    503,
    'Service unavailable',
    `Not answering: ${failed.map((check) => check.name).join(', ')}.`,
    {
      extra: { checks: report.checks.map(({ name, ok }) => ({ name, ok })) },
      headers: { 'cache-control': 'no-store' },
    }
  );
}

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: health,
});
