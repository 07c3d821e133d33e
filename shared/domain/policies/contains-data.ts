/** "Contains data" as IOM means it: missing (undefined/null), '' and [] are empty; 0, false and {} are data. */
export function containsData(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}
