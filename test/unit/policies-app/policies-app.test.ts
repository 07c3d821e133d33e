import { createPolicy } from '../../../shared/app/policies/create-policy';
import { evaluateStoredPolicy } from '../../../shared/app/policies/evaluate-stored-policy';
import { publishLatestPolicy, unpublishPolicyVersion } from '../../../shared/app/policies/policy-lifecycle';
import { putPolicy } from '../../../shared/app/policies/put-policy';
import { getPolicy, listPolicies } from '../../../shared/app/policies/read-policies';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../shared/domain/errors';
import { InvalidPolicyTransitionError } from '../../../shared/domain/policies';
import { InMemoryPolicyRepository } from './in-memory-policy-repository';

const body = (id: string, name = 'US only') => ({
  id,
  name,
  kind: 'filter',
  entityType: 'order',
  criticality: 'information',
  rule: { path: 'shipTo.country', operator: 'equals', value: 'US' },
});

let policies: InMemoryPolicyRepository;
const deps = () => ({ policies });

beforeEach(() => {
  policies = new InMemoryPolicyRepository();
});

async function issuesOf(work: Promise<unknown>): Promise<string[]> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).errors.map((e) => e.path);
}

it('refuses ids that cannot be stored or routed', async () => {
  for (const id of ['a/b', 'a\\b', 'a?b', 'a#b', 'a\nb', 'x'.repeat(101)]) {
    expect(await issuesOf(createPolicy(deps(), body(id)))).toEqual(['/id']);
  }
  expect(await issuesOf(getPolicy(deps(), 'a/b'))).toEqual(['/id']);
  expect(policies.docs.size).toBe(0);
});

it('reports a route/body id mismatch and server fields together with the rule problems', async () => {
  await createPolicy(deps(), body('p'));
  const paths = await issuesOf(
    putPolicy(deps(), 'p', {
      ...body('q'),
      status: 'draft',
      rule: { all: [{ path: '', operator: 'equals' }] },
    })
  );
  expect(paths).toEqual(expect.arrayContaining(['/id', '/status', '/rule/all/0/path', '/rule/all/0/value']));
});

it('turns a lost create race into a conflict', async () => {
  // Another creator stores version 1 between our existence check and our write.
  policies.beforeWrite = () =>
    void policies.write([{ policy: { ...body('p'), version: 1, status: 'draft' } as never }]);
  await expect(createPolicy(deps(), body('p', 'mine'))).rejects.toMatchObject({
    constructor: ConflictError,
    code: 'policy-exists',
  });
  expect(policies.docs.get('p:1')?.policy.name).toBe('US only');
});

it('publishes and archives the previous version in one write', async () => {
  await createPolicy(deps(), body('p'));
  await publishLatestPolicy(deps(), 'p');
  await putPolicy(deps(), 'p', body('p', 'v2'));
  const writes = jest.spyOn(policies, 'write');
  await publishLatestPolicy(deps(), 'p');
  expect(writes).toHaveBeenCalledTimes(1);
  expect(writes.mock.calls[0]![0].map((w) => [w.policy.version, w.policy.status])).toEqual([
    [2, 'published'],
    [1, 'archived'],
  ]);
  expect((await listPolicies(deps(), 'archived')).map((s) => s.policy.version)).toEqual([1]);
});

it('retries an unconditional edit that raced, and refuses a conditional one with 412', async () => {
  await createPolicy(deps(), body('p'));
  const bump = () => {
    const current = policies.docs.get('p:1')!;
    policies.docs.set('p:1', { ...current, etag: `${current.etag}-other` });
  };
  policies.beforeWrite = bump;
  const edited = await putPolicy(deps(), 'p', body('p', 'renamed'));
  expect(edited).toMatchObject({ newVersion: false, stored: { policy: { version: 1, name: 'renamed' } } });

  const etag = policies.docs.get('p:1')!.etag;
  policies.beforeWrite = bump;
  await expect(
    putPolicy(deps(), 'p', body('p'), { any: false, tags: [{ tag: `"${etag}"`, weak: false }] })
  ).rejects.toBeInstanceOf(PreconditionFailedError);
});

it('refuses to edit an archived latest version, and to unpublish a draft', async () => {
  await createPolicy(deps(), body('p'));
  await expect(unpublishPolicyVersion(deps(), 'p')).rejects.toMatchObject({ currentStatus: 'draft' });
  await publishLatestPolicy(deps(), 'p');
  await unpublishPolicyVersion(deps(), 'p');
  await expect(putPolicy(deps(), 'p', body('p'))).rejects.toBeInstanceOf(InvalidPolicyTransitionError);
});

it('evaluates the published version, or an explicit one, and validates the request', async () => {
  await createPolicy(deps(), body('p'));
  await expect(evaluateStoredPolicy(deps(), 'p', { entity: {} })).rejects.toBeInstanceOf(NotFoundError);
  expect(
    await evaluateStoredPolicy(deps(), 'p', { entity: { shipTo: { country: 'US' } } }, '1')
  ).toMatchObject({
    passed: true,
    version: 1,
  });
  expect(await issuesOf(evaluateStoredPolicy(deps(), 'p', { entity: [], extra: 1 }))).toEqual([
    '/extra',
    '/entity',
  ]);
  expect(await issuesOf(evaluateStoredPolicy(deps(), 'p', { entity: {} }, 'x'))).toEqual(['/version']);
});
