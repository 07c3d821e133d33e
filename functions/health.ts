import { currentHealthReport } from '../shared/app/health/wiring';
import type { HealthReport } from '../shared/app/health/check-health';
import { problem } from '../shared/http/problem';
import { route } from '../shared/http/route';

/**
 * GET /api/health: 200 `{status:"ok"}` once storage and Cosmos answer, else 503 problem+json naming
 * the failed checks. Anonymous, so failure reasons go to the log only — they can carry host names
 * and SDK details.
 */
export const health = route(
  'health',
  'GET',
  'health',
  async (_request, context) => {
    let report: HealthReport;
    try {
      report = await currentHealthReport();
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
  },
  { authLevel: 'anonymous' }
);
