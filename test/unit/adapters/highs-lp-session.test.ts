import { HighsMipSolver } from '../../../shared/adapters/highs/highs-solver';
import { writeLp, type Row } from '../../../shared/domain/fulfillment/mip-model';

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

it('a live LP re-solved many times gets each solve its own time limit, not what is left of the first', async () => {
  const session = (await new HighsMipSolver().openLp())!;
  expect(session).toBeDefined();
  const supplies = 200;
  const limit = 1.5;
  try {
    const { rows, columns } = transportation(supplies, supplies);
    for (const row of rows) session.addRow(row.lower, row.upper, []);
    session.addColumns(columns);
    const first = session.solve(60);
    expect(first.outcome).toBe('optimal');
    // Column generation's rounds: a far cheaper column each, re-solved from the last basis in a small
    // part of `limit`, until the runs together took twice `limit`. Were the limit counted from the
    // first run's start, the rounds after that would stop at once. Re-solves can be quick, so the
    // pairs are visited again, each time with a still cheaper column, until enough time has run.
    let ran = first.seconds;
    let objective = first.objective!;
    let round = 0;
    while (ran < 2 * limit) {
      expect(round).toBeLessThan(50 * supplies);
      const pair = round % supplies;
      session.addColumns([
        {
          cost: -100 * (1 + Math.floor(round / supplies)),
          upper: Infinity,
          entries: [
            [pair, 1],
            [supplies + pair, 1],
          ],
        },
      ]);
      const next = session.solve(limit);
      expect({ round, outcome: next.outcome }).toEqual({ round, outcome: 'optimal' });
      expect(next.objective!).toBeLessThan(objective);
      objective = next.objective!;
      ran += next.seconds;
      round++;
    }
  } finally {
    session.dispose();
  }
});

it('a large LP from text (interior point, then crossover) has the simplex optimum and optimal row duals', async () => {
  const solver = new HighsMipSolver();
  const { rows, columns } = transportation(80, 80);
  // As LP text: supply rows Σx ≤ 30, demand rows −Σx ≤ −20 (the format has no ≥ here).
  const lpRows: Row[] = rows.map((row, i) => ({
    sense: '<=' as const,
    rhs: row.upper === Infinity ? -row.lower : row.upper,
    terms: columns.flatMap((c, j) =>
      c.entries.some(([r]) => r === i) ? [[row.upper === Infinity ? -1 : 1, j] as [number, number]] : []
    ),
  }));
  const names = columns.map((_, j) => `x${j}`);
  expect(names.length).toBeGreaterThan(5000);
  const lpText = writeLp(
    names,
    columns.map((c) => c.cost),
    columns.map(() => 1000),
    columns.map(() => 'continuous' as const),
    lpRows
  );
  const rowNames = lpRows.map((_, i) => `r${i}`);
  const fromText = await solver.solve(
    { lpText, columnNames: names, rowNames },
    { timeLimitSeconds: 60, relativeGap: 0 }
  );
  expect(fromText.outcome).toBe('optimal');

  const session = (await solver.openLp())!;
  try {
    for (const row of rows) session.addRow(row.lower, row.upper, []);
    session.addColumns(columns);
    const simplex = session.solve(60);
    expect(fromText.objective!).toBeCloseTo(simplex.objective!, 4);
  } finally {
    session.dispose();
  }
  // Strong duality with the row duals alone (no column bound binds): objective = Σ dual · rhs.
  const dualValue = fromText.rowDuals!.reduce((sum, dual, i) => sum + dual * lpRows[i]!.rhs, 0);
  expect(dualValue).toBeCloseTo(fromText.objective!, 3);
  for (const dual of fromText.rowDuals!) expect(dual).toBeLessThanOrEqual(1e-9);
});
