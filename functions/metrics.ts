import * as df from 'durable-functions';
import { readMetrics } from '../shared/app/metrics/read-metrics';
import { readMetricsDeps } from '../shared/app/metrics/wiring';
import { route } from '../shared/http/route';

/** GET /api/v1/metrics: intake, order, journey and error-list counters for the console (docs/metrics.md). */
route(
  'getMetrics',
  'GET',
  'v1/metrics',
  async (_request, context) => ({
    headers: { 'cache-control': 'no-store' },
    jsonBody: await readMetrics(await readMetricsDeps(df.getClient(context))),
  }),
  { extraInputs: [df.input.durableClient()] }
);
