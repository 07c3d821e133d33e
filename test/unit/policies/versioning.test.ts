import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import {
  compilePolicy,
  editPolicy,
  InvalidPolicyTransitionError,
  publishPolicy,
  unpublishPolicy,
} from '../../../shared/domain/policies';
import { makePolicy } from './policy-fixtures';

const draft = makePolicy({ path: 'currency', operator: 'equals', value: 'USD' });

function transitionError(action: () => unknown): InvalidPolicyTransitionError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPolicyTransitionError);
    expect(err).toBeInstanceOf(ConflictError);
    return err as InvalidPolicyTransitionError;
  }
  throw new Error('expected an InvalidPolicyTransitionError');
}

describe('policy versioning', () => {
  it('publish: draft → published, deep-frozen', () => {
    const published = publishPolicy(draft);
    expect(published).toEqual({ ...draft, status: 'published' });
    expect(draft.status).toBe('draft');
    expect(Object.isFrozen(published)).toBe(true);
    expect(Object.isFrozen(published.rule)).toBe(true);
    expect(() => {
      (published as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });

  it('publish validates', () => {
    expect(() => publishPolicy(makePolicy({ all: [] }))).toThrow(ValidationError);
  });

  it('edit: published → a new draft with version + 1; the published one stays', () => {
    const published = publishPolicy(draft);
    const next = editPolicy(published, {
      name: 'USD orders',
      rule: { path: 'currency', operator: 'in', value: ['USD', 'CAD'] },
    });
    expect(next).toMatchObject({ status: 'draft', version: 2, name: 'USD orders', id: draft.id });
    expect(published).toEqual({ ...draft, status: 'published' });
    expect(Object.isFrozen(next)).toBe(false);
    expect(compilePolicy(published).test({ currency: 'CAD' })).toBe(false);
    expect(compilePolicy(next).test({ currency: 'CAD' })).toBe(true);
  });

  it('edit of a draft keeps its version; only editable fields change', () => {
    const edited = editPolicy(draft, { criticality: 'critical', ...({ id: 'other', version: 9 } as object) });
    expect(edited).toMatchObject({ id: draft.id, version: 1, status: 'draft', criticality: 'critical' });
  });

  it('edit validates the result', () => {
    expect(() => editPolicy(publishPolicy(draft), { actions: [{ path: 'a', value: 1 }] })).toThrow(
      /only execution policies can have actions/
    );
  });

  it('unpublish: published → archived', () => {
    const archived = unpublishPolicy(publishPolicy(draft));
    expect(archived.status).toBe('archived');
    expect(Object.isFrozen(archived.rule)).toBe(true);
  });

  it('invalid transitions name the current status', () => {
    const published = publishPolicy(draft);
    const archived = unpublishPolicy(published);
    expect(transitionError(() => publishPolicy(published)).message).toBe(
      'cannot publish policy pol-1 version 1: it is published; it is already published'
    );
    const fromArchived = transitionError(() => publishPolicy(archived));
    expect(fromArchived.currentStatus).toBe('archived');
    expect(fromArchived.code).toBe('invalid-policy-transition');
    expect(transitionError(() => unpublishPolicy(draft)).message).toMatch(/it is draft/);
    expect(transitionError(() => unpublishPolicy(archived)).message).toMatch(/it is archived/);
    expect(transitionError(() => editPolicy(archived, { name: 'x' })).transition).toBe('edit');
  });

  it('reuses the compiled form of a frozen version, not of a draft', () => {
    const published = publishPolicy(draft);
    expect(compilePolicy(published)).toBe(compilePolicy(published));
    expect(compilePolicy(draft)).not.toBe(compilePolicy(draft));
  });
});
