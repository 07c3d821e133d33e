import { ValidationError, type ValidationIssue } from '../errors';

/** Orders created in `[from, before)`, as ISO 8601 instants that compare as stored `createdAt` values do. */
export interface CreatedRange {
  from?: string;
  before?: string;
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The creation range a list query names with `createdFrom` and `createdTo`, both inclusive: a date
 * (`2026-12-02`, a UTC day) from its first instant or to its last; a date-time (with a zone) exactly.
 * Anything else is a ValidationError at `/createdFrom` or `/createdTo`.
 */
export function createdRange(createdFrom: string | undefined, createdTo: string | undefined): CreatedRange {
  const issues: ValidationIssue[] = [];
  const from = createdFrom === undefined ? undefined : instant(createdFrom);
  const to = createdTo === undefined ? undefined : instant(createdTo);
  if (from === undefined && createdFrom !== undefined) issues.push(badDate('/createdFrom'));
  if (to === undefined && createdTo !== undefined) issues.push(badDate('/createdTo'));
  if (issues.length > 0) throw new ValidationError('The creation dates are not dates.', issues);
  const dayMs = 24 * 60 * 60 * 1000;
  // An inclusive end is the next instant excluded: the next day for a date, the next millisecond else.
  const before = to === undefined ? undefined : to + (dateOnly.test(createdTo ?? '') ? dayMs : 1);
  return {
    ...(from !== undefined ? { from: new Date(from).toISOString() } : {}),
    ...(before !== undefined ? { before: new Date(before).toISOString() } : {}),
  };
}

function instant(text: string): number | undefined {
  if (!dateOnly.test(text) && !dateTime.test(text)) return undefined;
  const ms = Date.parse(dateOnly.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

function badDate(path: string): ValidationIssue {
  return { path, message: 'must be a date (YYYY-MM-DD) or a date-time with a zone (ISO 8601)' };
}
