import {
  readMeasureConfiguration,
  replaceMeasureConfiguration,
} from '../shared/app/inventory/measures/inventory-measure-config';
import { getInventoryMeasureDeps } from '../shared/app/inventory/wiring';
import { entityTagOf } from '../shared/app/versioned-resources/entity-tags';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { writePreconditionsOf } from '../shared/http/versioned-resource';

/** GET /api/v1/inventory/measures: the measure configuration in force (no ETag while the defaults are). */
export const getInventoryMeasures = route(
  'getInventoryMeasures',
  'GET',
  'v1/inventory/measures',
  async () => {
    const { configuration, etag } = await readMeasureConfiguration((await getInventoryMeasureDeps()).store);
    const headers: Record<string, string> = etag === undefined ? {} : { etag: entityTagOf(etag) };
    return { headers, jsonBody: configuration };
  }
);

/** PUT /api/v1/inventory/measures: replaces the configuration; If-Match / If-None-Match honoured. */
export const putInventoryMeasures = route(
  'putInventoryMeasures',
  'PUT',
  'v1/inventory/measures',
  async (request) => {
    const body = await jsonBody(request);
    const result = await replaceMeasureConfiguration(
      await getInventoryMeasureDeps(),
      body.value,
      writePreconditionsOf(request)
    );
    return {
      status: result.created ? 201 : 200,
      headers: { etag: entityTagOf(result.etag) },
      jsonBody: result.configuration,
    };
  }
);
