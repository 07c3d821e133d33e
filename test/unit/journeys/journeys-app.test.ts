import {
  publishLatestJourney,
  unpublishJourneyVersion,
} from '../../../shared/app/journeys/journey-lifecycle';
import { putJourney } from '../../../shared/app/journeys/put-journey';
import { getJourney, listJourneys } from '../../../shared/app/journeys/read-journeys';
import type { JourneyDeps } from '../../../shared/app/journeys/wiring';
import { createPolicy } from '../../../shared/app/policies/create-policy';
import { publishLatestPolicy, unpublishPolicyVersion } from '../../../shared/app/policies/policy-lifecycle';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from '../../../shared/domain/errors';
import type { JourneyRepository, JourneyWrite, StoredJourney } from '../../../shared/ports/journeys';
import {
  journeyInputSchema,
  journeyQuerySchema,
  journeyRouteSchema,
  type JourneyInput,
  type JourneyQuery,
} from '../../../shared/schemas/journey.schema';
import { compileValidator } from '../../../shared/schemas/validator';
import { InMemoryPolicyRepository } from '../policies-app/in-memory-policy-repository';

/** Journey versions in memory, with the adapter's contract: atomic writes, ETag-checked replaces. */
class InMemoryJourneyRepository implements JourneyRepository {
  readonly docs = new Map<string, StoredJourney>();
  #etags = 0;
  beforeWrite: (() => Promise<void>) | undefined;

  async versions(id: string): Promise<StoredJourney[]> {
    return (await this.all()).filter((s) => s.journey.id === id);
  }

  all(): Promise<StoredJourney[]> {
    const sorted = [...this.docs.values()].sort(
      (a, b) => a.journey.id.localeCompare(b.journey.id) || a.journey.version - b.journey.version
    );
    return Promise.resolve(sorted.map((s) => structuredClone(s)));
  }

  async write(writes: readonly JourneyWrite[]): Promise<StoredJourney[]> {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    await hook?.();
    for (const w of writes) {
      const current = this.docs.get(`${w.journey.id}:${w.journey.version}`);
      if (w.etag === undefined && current !== undefined) throw new ConflictError('exists');
      if (w.etag !== undefined && current?.etag !== w.etag) throw new PreconditionFailedError('changed');
    }
    return writes.map((w) => {
      const stored = {
        journey: structuredClone(w.journey),
        etag: `e${++this.#etags}`,
        createdAt: w.createdAt ?? '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
      };
      this.docs.set(`${w.journey.id}:${w.journey.version}`, stored);
      return stored;
    });
  }
}

let deps: JourneyDeps & { journeys: InMemoryJourneyRepository; policies: InMemoryPolicyRepository };

const body = (name: string, policyId = 'us-only', type = 'order') => ({
  name,
  type,
  steps: [
    {
      kind: 'condition',
      name: 'US?',
      inputEvents: ['New Order'],
      filterPolicyId: policyId,
      trueEvent: 'Is US',
      falseEvent: 'Not US',
    },
    { kind: 'exit', name: 'Done', inputEvents: ['Is US', 'Not US'] },
  ],
});

/** A filter policy on orders, draft v1, published when `publish`. */
async function policy(id: string, publish: boolean) {
  const rule = { path: 'currency', operator: 'equals', value: 'USD' };
  await createPolicy(deps, {
    id,
    name: id,
    kind: 'filter',
    entityType: 'order',
    criticality: 'critical',
    rule,
  });
  if (publish) await publishLatestPolicy(deps, id);
}

beforeEach(() => {
  deps = {
    journeys: new InMemoryJourneyRepository(),
    policies: new InMemoryPolicyRepository(),
    validators: {
      route: compileValidator<{ journeyId: string }>(journeyRouteSchema, 'journey id'),
      body: compileValidator<JourneyInput>(journeyInputSchema, 'journey'),
      query: compileValidator<JourneyQuery>(journeyQuerySchema, 'query'),
    },
    publishedChanged: () => {},
    providerInstance: () => Promise.resolve(undefined),
  };
});

describe('journey use cases', () => {
  it('PUT creates v1, replaces the draft, then makes v2 after a publish; publish archives v1', async () => {
    await policy('us-only', true);
    expect(await putJourney(deps, 'j', body('A'))).toMatchObject({
      created: true,
      stored: { journey: { version: 1 } },
    });
    const replaced = await putJourney(deps, 'j', body('B'));
    expect(replaced).toMatchObject({ created: false, stored: { journey: { version: 1, name: 'B' } } });
    await publishLatestJourney(deps, 'j');
    const v2 = await putJourney(deps, 'j', body('C'));
    expect(v2).toMatchObject({ created: true, stored: { journey: { version: 2, status: 'draft' } } });
    expect((await getJourney(deps, 'j')).publishedVersion).toBe(1);

    await publishLatestJourney(deps, 'j');
    const found = await getJourney(deps, 'j', '1');
    expect(found.stored.journey).toMatchObject({ version: 1, status: 'archived', name: 'B' });
    expect(found.versions.map((v) => v.status)).toEqual(['archived', 'published']);
    expect(found.publishedVersion).toBe(2);

    await unpublishJourneyVersion(deps, 'j');
    expect((await getJourney(deps, 'j')).publishedVersion).toBeNull();
    await expect(putJourney(deps, 'j', body('D'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('publish takes the version of a policy in force, even when a newer draft exists', async () => {
    await policy('us-only', true);
    await deps.policies.write([
      {
        policy: { ...(await deps.policies.versions('us-only'))[0]!.policy, version: 2, status: 'draft' },
      },
    ]);
    await putJourney(deps, 'j', body('A'));
    expect((await publishLatestJourney(deps, 'j')).journey.status).toBe('published');
  });

  it('publish refuses a journey whose policy has no version in force, naming the step, and writes nothing', async () => {
    await policy('us-only', true);
    await unpublishPolicyVersion(deps, 'us-only');
    await putJourney(deps, 'j', body('A'));
    const refused = await publishLatestJourney(deps, 'j').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors).toEqual([
      { path: '/steps/0/filterPolicyId', message: '"US?": policy us-only is not published (it is archived)' },
    ]);
    expect((await getJourney(deps, 'j')).stored.journey.status).toBe('draft');
    await expect(publishLatestJourney(deps, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('PUT refuses a type change, a stale If-Match, and a bad body with every path', async () => {
    await putJourney(deps, 'j', body('A'));
    await expect(putJourney(deps, 'j', body('A', 'us-only', 'return'))).rejects.toMatchObject({
      errors: [{ path: '/type', message: 'cannot change (it is order)' }],
    });
    await expect(
      putJourney(deps, 'j', body('B'), { any: false, tags: [{ tag: '"old"', weak: false }] })
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    const bad = await putJourney(deps, 'a/b', { name: '', type: 'order', steps: [{ name: 'x' }] }).catch(
      (err: unknown) => err
    );
    expect((bad as ValidationError).errors.map((e) => e.path).sort()).toEqual(['/journeyId', '/name']);
  });

  it('PUT without If-Match retries a lost race on the draft and keeps the last body', async () => {
    await putJourney(deps, 'j', body('A'));
    deps.journeys.beforeWrite = async () => {
      await deps.journeys.write([
        { journey: { ...(await deps.journeys.versions('j'))[0]!.journey, name: 'Other' }, etag: 'e1' },
      ]);
    };
    const result = await putJourney(deps, 'j', body('Mine'));
    expect(result).toMatchObject({ created: false, stored: { journey: { name: 'Mine', version: 1 } } });
  });

  it('lists the latest version of each journey by type and status', async () => {
    await policy('us-only', true);
    await putJourney(deps, 'a', body('A'));
    await putJourney(deps, 'b', body('B'));
    await publishLatestJourney(deps, 'b');
    await putJourney(deps, 'b', body('B2'));
    await putJourney(deps, 'r', { name: 'R', type: 'return', steps: [] });
    const ids = (found: StoredJourney[]) => found.map((s) => `${s.journey.id}@${s.journey.version}`);
    expect(ids(await listJourneys(deps))).toEqual(['a@1', 'b@2', 'r@1']);
    expect(ids(await listJourneys(deps, 'order', 'published'))).toEqual(['b@1']);
    expect(ids(await listJourneys(deps, 'return'))).toEqual(['r@1']);
    await expect(listJourneys(deps, 'boat')).rejects.toBeInstanceOf(ValidationError);
  });
});
