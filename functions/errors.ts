import { listErrors } from '../shared/app/error-lists/list-errors';
import { resubmitError } from '../shared/app/error-lists/resubmit-error';
import { getErrorListRepository, resubmitErrorDeps } from '../shared/app/error-lists/wiring';
import { pageBody } from '../shared/http/handler';
import { errorView } from '../shared/http/error-view';
import { route } from '../shared/http/route';

/** GET /api/v1/errors?list=&status=&top=&continuationToken=: `{items, continuationToken?}`, newest first. */
export const listErrorEntries = route('listErrors', 'GET', 'v1/errors', async (request) => {
  const status = request.query.get('status') ?? undefined;
  const continuationToken = request.query.get('continuationToken') ?? undefined;
  const page = await listErrors(await getErrorListRepository(), {
    list: request.query.get('list') ?? undefined,
    top: Number(request.query.get('top') ?? 50),
    ...(status !== undefined ? { status } : {}),
    ...(continuationToken !== undefined ? { continuationToken } : {}),
  });
  return { jsonBody: pageBody(page, errorView) };
});

/**
 * POST /api/v1/errors/{id}/resubmit?list=: 200 with the entry, now `resubmitted` (its payload is back
 * on its queue; idempotent). 404 for an unknown id, 409 for a dismissed entry or one without a payload.
 */
export const resubmitErrorEntry = route(
  'resubmitError',
  'POST',
  'v1/errors/{id}/resubmit',
  async (request) => {
    const entry = await resubmitError(
      await resubmitErrorDeps(),
      request.query.get('list') ?? undefined,
      request.params.id ?? ''
    );
    return { jsonBody: errorView(entry) };
  }
);
