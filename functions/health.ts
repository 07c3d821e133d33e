import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { checkHealth } from '../shared/app/check-health';
import { getHealthProbes } from '../shared/composition';
import { problem } from '../shared/http/problem';

/** Long enough for a cold Cosmos/Azurite connection, short enough for a load balancer's probe. */
const HEALTH_TIMEOUT_MS = 5000;

/**
 * GET /api/health (DESIGN §7): 200 `{status:"ok"}` once storage and Cosmos answer, else 503
 * problem+json naming the failed checks. Anonymous, so failure reasons go to the log only —
 * they can carry host names and SDK details.
 */
export async function health(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let probes;
  try {
    probes = getHealthProbes();
  } catch (err) {
    // Bad configuration is the most common reason for "unhealthy" on a fresh deployment.
    context.error('health: cannot build probes', err);
    return problem(503, 'Service unavailable', 'The service is not configured.', {
      extra: { checks: [{ name: 'config', ok: false }] },
    });
  }

  const report = await checkHealth(probes, { timeoutMs: HEALTH_TIMEOUT_MS });
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
