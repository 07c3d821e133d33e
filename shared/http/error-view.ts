import type { ErrorEntry } from '../domain/error-lists/error-entry';

/** An error-list entry as the API shows it (without its document type). */
export function errorView(entry: ErrorEntry): Record<string, unknown> {
  const { type: _type, ...view } = entry;
  return view;
}
