import { GroupCommit, type ItemOutcome } from '../../../shared/adapters/group-commit';

// The group commit both intake writers use (intake queue, intake claims).

function recorder(fail?: (item: number) => boolean) {
  const writes: number[][] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const commit = new GroupCommit<number, number>(
    async (items) => {
      writes.push([...items]);
      if (gate) await gate;
      return items.map((item): ItemOutcome<number> =>
        fail?.(item) ? { ok: false, error: new Error(`no ${item}`) } : { ok: true, value: item * 10 }
      );
    },
    (waiting) => Math.min(waiting.length, 3)
  );
  const hold = () => {
    gate = new Promise((resolve) => (release = resolve));
  };
  return { commit, writes, hold, release: () => release?.() };
}

it('writes a lone item at once, and what arrives during a write in the next ones, up to the group size', async () => {
  const { commit, writes, hold, release } = recorder();
  hold();
  const first = commit.submit(1);
  const rest = [2, 3, 4, 5, 6].map((item) => commit.submit(item));
  release();
  expect(await first).toBe(10);
  expect(await Promise.all(rest)).toEqual([20, 30, 40, 50, 60]);
  expect(writes).toEqual([[1], [2, 3, 4], [5, 6]]);
});

it('settles each item with its own outcome, and fails the whole group when the write throws', async () => {
  const { commit } = recorder((item) => item === 2);
  const outcomes = await Promise.allSettled([1, 2, 3].map((item) => commit.submit(item)));
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);

  let down = true;
  const flaky = new GroupCommit<number, number>(
    (items) =>
      down
        ? Promise.reject(new Error('queue down'))
        : Promise.resolve(items.map((item): ItemOutcome<number> => ({ ok: true, value: item }))),
    (waiting) => waiting.length
  );
  const failed = await Promise.allSettled([1, 2].map((item) => flaky.submit(item)));
  expect(failed.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  // A failed write does not stop the ones after it.
  down = false;
  expect(await flaky.submit(7)).toBe(7);
});

it('starts a further write, up to maxInFlight, only when more items wait than the next write takes', async () => {
  const writes: number[][] = [];
  const gates: (() => void)[] = [];
  const commit = new GroupCommit<number, number>(
    async (items) => {
      writes.push([...items]);
      await new Promise<void>((resolve) => gates.push(resolve));
      return items.map((item): ItemOutcome<number> => ({ ok: true, value: item }));
    },
    (waiting) => Math.min(waiting.length, 2),
    2
  );
  const all = [1, 2, 3].map((item) => commit.submit(item));
  await Promise.resolve();
  // 2 and 3 fit in the next write: they wait for it rather than each taking a write of their own.
  expect(writes).toEqual([[1]]);
  all.push(commit.submit(4));
  await Promise.resolve();
  // Three waiting, two to a write: a second write starts.
  expect(writes).toEqual([[1], [2, 3]]);
  all.push(commit.submit(5));
  await Promise.resolve();
  expect(writes).toEqual([[1], [2, 3]]);
  gates.shift()!();
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toEqual([[1], [2, 3], [4, 5]]);
  while (gates.length > 0) {
    gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
});
