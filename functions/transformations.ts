import { previewTransformation } from '../shared/app/providers/preview-transformation';
import {
  getTransformation,
  listTransformations,
  putTransformation,
} from '../shared/app/providers/transformations';
import { previewDeps, transformationDeps } from '../shared/app/providers/wiring';
import { jsonBody } from '../shared/http/handler';
import { route } from '../shared/http/route';
import { savedAnswer } from '../shared/http/saved-answer';

/** User transformations (JSONata, versioned) and the preview (docs/providers.md). */

route('previewTransformation', 'POST', 'v1/transformations/preview', async (request) => {
  const body = await jsonBody(request);
  return { jsonBody: await previewTransformation(await previewDeps(), body.value) };
});

route('putTransformation', 'PUT', 'v1/transformations/{id}', async (request) => {
  const body = await jsonBody(request);
  const deps = await transformationDeps();
  const { transformation, created } = await putTransformation(deps, request.params.id ?? '', body.value);
  return savedAnswer('/api/v1/transformations', transformation.id, created, transformation);
});

route('getTransformation', 'GET', 'v1/transformations/{id}', async (request) => ({
  jsonBody: await getTransformation(await transformationDeps(), request.params.id ?? ''),
}));

route('listTransformations', 'GET', 'v1/transformations', async () => ({
  jsonBody: { items: await listTransformations(await transformationDeps()) },
}));
