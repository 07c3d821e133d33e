import { exportConfiguration } from '../shared/app/configuration/export-configuration';
import { importConfiguration } from '../shared/app/configuration/import-configuration';
import { configurationDeps } from '../shared/app/configuration/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';

/** GET /api/v1/config/export: the whole configuration as one bundle, in its stable text. */
export const exportConfigurationHandler = route(
  'exportConfiguration',
  'GET',
  'v1/config/export',
  async () => {
    const { text } = await exportConfiguration(await configurationDeps());
    return { headers: { 'content-type': 'application/json' }, body: text };
  }
);

/** POST /api/v1/config/import?dryRun=true: the differences; without dryRun they are applied. */
export const importConfigurationHandler = route(
  'importConfiguration',
  'POST',
  'v1/config/import',
  async (request) => {
    const body = await jsonBody(request);
    const dryRun = request.query.get('dryRun');
    return { jsonBody: await importConfiguration(await configurationDeps(), body.value, dryRun) };
  }
);
