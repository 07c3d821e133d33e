import { ValidationError, type ValidationIssue } from '../../domain/errors';

/**
 * Runs one part's validation, adding its issues to `issues` instead of throwing, so a request with
 * several bad parts (route and body) is answered with all of them at once.
 */
export function collectIssues<T>(validate: () => T, issues: ValidationIssue[]): T | undefined {
  try {
    return validate();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...err.errors);
    return undefined;
  }
}
