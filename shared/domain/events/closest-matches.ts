/**
 * Orders candidates by how close they are to a misspelt name, so an error can say "did you mean"
 * with the likeliest candidate first. Case is ignored: `order cancelled` is one edit from nothing.
 */
export function byCloseness(wanted: string, candidates: readonly string[]): string[] {
  const target = wanted.toLowerCase();
  return candidates
    .map((candidate, index) => ({
      candidate,
      index,
      distance: editDistance(target, candidate.toLowerCase()),
    }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .map((entry) => entry.candidate);
}

/** Levenshtein distance with two rolling rows; names are short, so O(n·m) is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `'a', 'b' and 'c'` style list for messages. */
export function quoteList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
