import { HighsMipSolver } from '../../../shared/adapters/highs/highs-solver';

/**
 * A transportation LP, supplies × demands, dense enough that solving it from scratch takes a while;
 * rows first (supply ≤, demand ≥), then one column per pair.
 */
function transportation(supplies: number, demands: number) {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows = [
    ...Array.from({ length: supplies }, () => ({ lower: -Infinity, upper: 30 })),
    ...Array.from({ length: demands }, () => ({ lower: 20, upper: Infinity })),
  ];
  const columns = [];
  for (let s = 0; s < supplies; s++)
    for (let d = 0; d < demands; d++) {
      const entries: [number, number][] = [
        [s, 1],
        [supplies + d, 1],
      ];
      columns.push({ cost: 1 + Math.round(random() * 1000), upper: Infinity, entries });
    }
  return { rows, columns };
}

it('a live LP re-solved after a long first solve gets its own time limit, not what is left of the first', async () => {
  const session = (await new HighsMipSolver().openLp())!;
  expect(session).toBeDefined();
  try {
    const { rows, columns } = transportation(150, 150);
    for (const row of rows) session.addRow(row.lower, row.upper, []);
    session.addColumns(columns);
    const first = session.solve(60);
    expect(first.outcome).toBe('optimal');
    // A column far cheaper than any: re-solving from the last basis takes well under the first solve's
    // time, so a limit of that time is enough, unless it were counted from the first solve's start.
    session.addColumns([
      {
        cost: -100,
        upper: Infinity,
        entries: [
          [0, 1],
          [150, 1],
        ],
      },
    ]);
    const second = session.solve(first.seconds);
    expect(second.outcome).toBe('optimal');
    expect(second.objective!).toBeLessThan(first.objective!);
  } finally {
    session.dispose();
  }
});
