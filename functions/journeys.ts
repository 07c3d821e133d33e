import { journeyDeps } from '../shared/app/journeys/wiring';
import { publishLatestJourney, unpublishJourneyVersion } from '../shared/app/journeys/journey-lifecycle';
import { putJourney } from '../shared/app/journeys/put-journey';
import { getJourney, listJourneys } from '../shared/app/journeys/read-journeys';
import { jsonBody } from '../shared/http/handler';
import { journeyAnswer, journeyListAnswer, journeyWithVersionsAnswer } from '../shared/http/journey-view';
import { route } from '../shared/http/route';
import { ifMatchOf } from '../shared/http/versioned-resource';

/** GET /api/v1/journeys?type=&status=: the latest version of each journey (of that type and status). */
export const listJourneysHandler = route('listJourneys', 'GET', 'v1/journeys', async (request) =>
  journeyListAnswer(
    await listJourneys(await journeyDeps(), request.query.get('type'), request.query.get('status'))
  )
);

/** GET /api/v1/journeys/{journeyId}?version=: the latest version (or the given one), with its versions. */
export const getJourneyHandler = route('getJourney', 'GET', 'v1/journeys/{journeyId}', async (request) =>
  journeyWithVersionsAnswer(
    await getJourney(await journeyDeps(), request.params.journeyId ?? '', request.query.get('version'))
  )
);

/** PUT /api/v1/journeys/{journeyId}: create v1 or a new draft version (201), or replace the draft (200). */
export const putJourneyHandler = route('putJourney', 'PUT', 'v1/journeys/{journeyId}', async (request) => {
  const body = await jsonBody(request);
  const id = request.params.journeyId ?? '';
  const result = await putJourney(await journeyDeps(), id, body.value, ifMatchOf(request));
  return journeyAnswer(result.stored, result.created);
});

/** POST /api/v1/journeys/{journeyId}/publish: validate and publish the draft; the published one is archived. */
export const publishJourneyHandler = route(
  'publishJourney',
  'POST',
  'v1/journeys/{journeyId}/publish',
  async (request) =>
    journeyAnswer(
      await publishLatestJourney(await journeyDeps(), request.params.journeyId ?? '', ifMatchOf(request))
    )
);

/** POST /api/v1/journeys/{journeyId}/unpublish: archive the published version. */
export const unpublishJourneyHandler = route(
  'unpublishJourney',
  'POST',
  'v1/journeys/{journeyId}/unpublish',
  async (request) =>
    journeyAnswer(
      await unpublishJourneyVersion(await journeyDeps(), request.params.journeyId ?? '', ifMatchOf(request))
    )
);
