import { ApiError, api, segment, withQuery } from './api.js';
import { journeyDefinitionSteps } from './journey-steps.js';
import { badge, fields, h, link, render, section, table, when } from './dom.js';
import { showError, showStatus } from './notices.js';
import type { PageRoute } from './router.js';
import type { JourneyVersion, Page } from './types.js';

const journeyPath = (id: string) => `/journeys/${encodeURIComponent(id)}`;

/** `#/journeys`: the latest version of each journey. */
export const journeysPage: PageRoute = {
  path: '/journeys',
  title: 'Journeys',
  async render({ body, signal }) {
    const answer = await api.get<Page<JourneyVersion>>('/api/v1/journeys', signal);
    render(
      body,
      table(
        'Journeys, latest version of each',
        ['Journey', 'Name', 'Type', 'Latest version', 'Status', 'Steps', 'Updated'],
        answer.items.map((journey) => [
          link(journeyPath(journey.id), journey.id),
          journey.name,
          journey.type,
          String(journey.version),
          badge(journey.status),
          String(journey.steps.length),
          when(journey.updatedAt),
        ])
      )
    );
  },
};

/**
 * `#/journeys/{id}?version=`: a version's steps drawn in order, every version with the one in force,
 * and Publish for the latest version while it is a draft (a refusal names the steps at fault).
 */
export const journeyPage: PageRoute = {
  path: '/journeys/:journeyId',
  title: 'Journey',
  async render({ body, params, query, signal, setTitle }) {
    const id = params.journeyId!;
    const show = async (problems = new Map<number, string[]>()) => {
      const journey = await api.get<JourneyVersion>(
        withQuery(`/api/v1/journeys/${segment(id)}`, { version: query.get('version') }),
        signal
      );
      setTitle(`Journey ${journey.name}`);
      const versions = journey.versions ?? [];
      const latest = versions[versions.length - 1]?.version ?? journey.version;
      const publish = h('button', { type: 'button' }, `Publish version ${journey.version}`);
      publish.addEventListener('click', () => {
        publish.disabled = true;
        api
          .post<JourneyVersion>(`/api/v1/journeys/${segment(id)}/publish`)
          .then(async (published) => {
            await show();
            showStatus(`Published version ${published.version} of ${published.name}: it is in force now.`);
          })
          .catch(async (err: unknown) => {
            publish.disabled = false;
            if (err instanceof ApiError && err.status === 400) await show(stepProblems(err));
            showError(err);
          });
      });
      render(
        body,
        fields([
          ['Id', journey.id],
          ['Type', journey.type],
          ['Start event', journey.startEvent],
          ['Version shown', `${journey.version}`],
          ['Status', badge(journey.status)],
          [
            'In force',
            journey.publishedVersion ? `version ${journey.publishedVersion}` : 'no version is published',
          ],
        ]),
        journey.status === 'draft' && journey.version === latest
          ? h('div', { class: 'actions' }, publish)
          : null,
        section('journey-steps', 'Steps', journeyDefinitionSteps(journey, problems)),
        section(
          'journey-versions',
          'Versions',
          table(
            'Versions, oldest first',
            ['Version', 'Status', 'Created', 'Updated'],
            versions.map((version) => [
              version.version === journey.version
                ? h('span', { 'aria-current': 'page' }, `${version.version} (shown)`)
                : link(`${journeyPath(id)}?version=${version.version}`, String(version.version)),
              [badge(version.status), version.version === journey.publishedVersion ? ' in force' : ''],
              when(version.createdAt),
              when(version.updatedAt),
            ])
          )
        )
      );
    };
    await show();
  },
};

/** The problems of a refused publish by node index (`/steps/3` or a path below it). */
function stepProblems(err: ApiError): Map<number, string[]> {
  const byStep = new Map<number, string[]>();
  for (const issue of err.problem.errors ?? []) {
    const index = /^\/steps\/(\d+)/.exec(issue.path)?.[1];
    if (index === undefined) continue;
    byStep.set(Number(index), [...(byStep.get(Number(index)) ?? []), issue.message]);
  }
  return byStep;
}
