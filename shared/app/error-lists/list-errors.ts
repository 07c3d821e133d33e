import { ValidationError } from '../../domain/errors';
import {
  errorListNames,
  errorStatuses,
  isErrorListName,
  isErrorStatus,
  type ErrorEntry,
} from '../../domain/error-lists/error-entry';
import type { ErrorListRepository } from '../../ports/error-lists';
import type { Page } from '../../ports/orders';

export interface ListErrorsQuery {
  list: string | undefined;
  status?: string;
  continuationToken?: string;
  top: number;
}

/** One page of an error list, newest first, optionally only the entries in one status. */
export async function listErrors(
  errors: ErrorListRepository,
  query: ListErrorsQuery
): Promise<Page<ErrorEntry>> {
  const issues = [];
  if (query.list === undefined || !isErrorListName(query.list)) {
    issues.push({ path: '/list', message: `must be one of ${errorListNames.join(', ')}` });
  }
  if (query.status !== undefined && !isErrorStatus(query.status)) {
    issues.push({ path: '/status', message: `must be one of ${errorStatuses.join(', ')}` });
  }
  if (!Number.isInteger(query.top) || query.top < 1 || query.top > 500) {
    issues.push({ path: '/top', message: 'must be an integer from 1 to 500' });
  }
  if (issues.length > 0) throw new ValidationError('The error list query is not valid.', issues);
  const status = query.status !== undefined && isErrorStatus(query.status) ? query.status : undefined;
  return errors.find(query.list as ErrorEntry['kind'], status === undefined ? {} : { status }, {
    maxItemCount: query.top,
    ...(query.continuationToken !== undefined ? { continuationToken: query.continuationToken } : {}),
  });
}
