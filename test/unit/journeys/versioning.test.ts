import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import { draftJourney } from '../../../shared/domain/journeys/draft-journey';
import { editJourney } from '../../../shared/domain/journeys/edit-journey';
import { InvalidJourneyTransitionError } from '../../../shared/domain/journeys/invalid-journey-transition-error';
import { publishJourney } from '../../../shared/domain/journeys/publish-journey';
import { unpublishJourney } from '../../../shared/domain/journeys/unpublish-journey';
import { defaultSteps, orderJourney, policies } from './journey-fixtures';

const draft = orderJourney();

function transitionError(action: () => unknown): InvalidJourneyTransitionError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidJourneyTransitionError);
    expect(err).toBeInstanceOf(ConflictError);
    return err as InvalidJourneyTransitionError;
  }
  throw new Error('expected an InvalidJourneyTransitionError');
}

describe('journey versions', () => {
  it('publish: draft → published, deep-frozen', () => {
    const published = publishJourney(draft, policies);
    expect(published).toEqual({ ...draft, status: 'published' });
    expect(draft.status).toBe('draft');
    expect(Object.isFrozen(published.steps[0])).toBe(true);
    expect(() => {
      (published as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });

  it('publish validates the graph, with every issue', () => {
    const bad = orderJourney([{ kind: 'exit', name: 'Done', inputEvents: ['Nobody'] }]);
    try {
      publishJourney(bad, policies);
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors).toEqual([
        { path: '/startEvent', message: expect.stringMatching(/^no node listens to the start event/) },
        { path: '/steps/0/inputEvents/0', message: expect.stringMatching(/^"Done": input event "Nobody"/) },
      ]);
    }
  });

  it('publish refuses a version that is not a draft', () => {
    const published = publishJourney(draft, policies);
    expect(transitionError(() => publishJourney(published, policies)).currentStatus).toBe('published');
    expect(transitionError(() => publishJourney(unpublishJourney(published), policies)).currentStatus).toBe(
      'archived'
    );
  });

  it('edit: a draft in place; a published one into a new draft version; never an archived one', () => {
    const changes = { name: 'Renamed', startEvent: 'New Order', steps: defaultSteps().slice(0, 1) };
    const sameDraft = editJourney(draft, changes);
    expect(sameDraft).toMatchObject({ version: 1, status: 'draft', name: 'Renamed' });
    expect(sameDraft.steps).toHaveLength(1);

    const published = publishJourney(draft, policies);
    const next = editJourney(published, changes);
    expect(next).toMatchObject({ id: 'j-1', type: 'order', version: 2, status: 'draft', name: 'Renamed' });
    expect(published).toMatchObject({ version: 1, status: 'published', name: 'Orders' });

    const archived = unpublishJourney(published);
    expect(transitionError(() => editJourney(archived, changes)).transition).toBe('edit');
  });

  it('unpublish: only a published version, into archived', () => {
    expect(unpublishJourney(publishJourney(draft, policies)).status).toBe('archived');
    expect(transitionError(() => unpublishJourney(draft)).currentStatus).toBe('draft');
  });

  it('a draft from a request: steps by default, no input events, the type default start event', () => {
    const journey = draftJourney(
      'fo',
      { name: 'FO', type: 'fulfillmentOrder', steps: [{ name: 'Send', action: 'sendToFulfillment' }] },
      1
    );
    expect(journey).toEqual({
      id: 'fo',
      name: 'FO',
      type: 'fulfillmentOrder',
      startEvent: 'Creation of Fulfillment Order Succeeded',
      steps: [{ kind: 'step', name: 'Send', action: 'sendToFulfillment', inputEvents: [] }],
      version: 1,
      status: 'draft',
    });
    expect(draftJourney('o', { name: 'O', type: 'order', steps: [] }, 1).startEvent).toBe('New Order');
  });

  it('a draft refuses a field of another kind of node and a missing field its kind requires', () => {
    const steps = [
      { kind: 'exit', name: 'End', action: 'custom' },
      { kind: 'condition', name: 'If', trueEvent: 'Yes' },
    ];
    let thrown: unknown;
    try {
      draftJourney('o', { name: 'O', type: 'order', steps }, 1);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).errors).toEqual([
      { path: '/steps/0/action', message: 'is not a field of a node of kind exit' },
      { path: '/steps/1/filterPolicyId', message: 'is required' },
      { path: '/steps/1/falseEvent', message: 'is required' },
    ]);
  });
});
