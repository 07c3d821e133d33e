import { JourneysInForce } from '../../../shared/app/journeys/journeys-in-force';
import type { JourneyRepository, StoredJourney } from '../../../shared/ports/journeys';
import { orderJourney } from './journey-fixtures';

/** A repository whose `all()` answers `stored` and counts its reads. */
function repository(stored: StoredJourney[]) {
  const counted = { reads: 0 };
  const journeys = {
    all: () => {
      counted.reads += 1;
      return Promise.resolve(stored);
    },
  } as unknown as JourneyRepository;
  return { journeys, counted };
}

function published(version: number, updatedAt: string): StoredJourney {
  return {
    journey: { ...orderJourney(), version, status: 'published' },
    etag: `e${version}`,
    createdAt: updatedAt,
    updatedAt,
  };
}

describe('JourneysInForce', () => {
  it('reads the journeys once for concurrent callers within the time to live', async () => {
    const { journeys, counted } = repository([published(1, '2026-01-01T00:00:00Z')]);
    const inForce = new JourneysInForce(journeys, { now: () => new Date(0) });
    const refs = await Promise.all([1, 2, 3].map((n) => inForce.refFor('order', `o-${n}`)));
    expect(refs.map((r) => r?.version)).toEqual([1, 1, 1]);
    expect(counted.reads).toBe(1);
  });

  it('answers a journey published meanwhile once told (publish in this process)', async () => {
    const stored = [published(1, '2026-01-01T00:00:00Z')];
    const { journeys, counted } = repository(stored);
    const inForce = new JourneysInForce(journeys, { now: () => new Date(0) });
    expect((await inForce.forType('order'))?.version).toBe(1);
    stored.push(published(2, '2026-01-02T00:00:00Z'));
    expect((await inForce.forType('order'))?.version).toBe(1);
    inForce.forget();
    expect((await inForce.forType('order'))?.version).toBe(2);
    expect(counted.reads).toBe(2);
  });
});
