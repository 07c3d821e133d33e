import { ulidIds } from '../../../shared/adapters/ulid-ids';

it('makes distinct, time-sortable ULIDs, monotonic within one generator', () => {
  const ids = ulidIds();
  const made = Array.from({ length: 10_000 }, () => ids.newId());
  expect(new Set(made).size).toBe(made.length);
  for (const id of made) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  expect([...made].sort()).toEqual(made);
});

it('draws the random part evenly from the whole alphabet', () => {
  const ids = ulidIds();
  const counts = new Map<string, number>();
  // The last character is random in each new millisecond and incremented within one; a fresh
  // generator per id makes every id's random part fresh.
  for (let i = 0; i < 6400; i++) {
    const char = ulidIds().newId().charAt(20);
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  expect(counts.size).toBe(32);
  for (const count of counts.values()) expect(count).toBeGreaterThan(100);
  expect(ids.newId()).toHaveLength(26);
});
