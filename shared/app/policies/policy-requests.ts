import { ValidationError, type ValidationIssue } from '../../domain/errors';
import { POLICY_STATUSES, validatePolicy, type Policy, type PolicyStatus } from '../../domain/policies';

/** Fields the server sets: a body carrying them is refused rather than silently ignored. */
const SERVER_FIELDS: Readonly<Record<string, string>> = {
  version: 'is set by the server: editing a published policy makes a new draft version',
  status: 'is set by the server: use POST .../publish or .../unpublish',
  createdAt: 'is set by the server',
  updatedAt: 'is set by the server',
};

/** Policy ids become part of storage ids and URLs: no `/ \ ? #`, no control characters, at most 100 long. */
function isPolicyId(id: string): boolean {
  if (id.length < 1 || id.length > 100 || /[/\\?#]/.test(id)) return false;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

function checkPolicyId(id: unknown, path: string, issues: ValidationIssue[]): void {
  if (typeof id === 'string' && id !== '' && !isPolicyId(id)) {
    issues.push({
      path,
      message: 'must be 1 to 100 characters without "/", "\\", "?", "#" or control characters',
    });
  }
}

/** The policy id of a route, or a ValidationError at `/id`. */
export function validatePolicyId(raw: string): string {
  const issues: ValidationIssue[] = [];
  if (raw === '') issues.push({ path: '/id', message: 'is required' });
  checkPolicyId(raw, '/id', issues);
  if (issues.length > 0) throw new ValidationError('The policy id is not valid.', issues);
  return raw;
}

/** `?version=N`: absent → undefined; otherwise a positive integer or a ValidationError at `/version`. */
export function parsePolicyVersion(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const version = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(version)) {
    throw new ValidationError('The version is not valid.', [
      { path: '/version', message: 'must be a positive integer' },
    ]);
  }
  return version;
}

/** `?status=`: absent → undefined; otherwise one of the policy statuses or a ValidationError at `/status`. */
export function parsePolicyStatus(raw: string | null | undefined): PolicyStatus | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (!(POLICY_STATUSES as readonly string[]).includes(raw)) {
    throw new ValidationError('The status is not valid.', [
      { path: '/status', message: `must be one of ${POLICY_STATUSES.join(', ')}` },
    ]);
  }
  return raw as PolicyStatus;
}

/**
 * A request body (`POST /api/v1/policies`, `PUT /api/v1/policies/{id}`) read as a draft policy at
 * `version`, or one ValidationError listing every problem with its JSON Pointer. With `routeId` the
 * body's `id` may be left out, and must match when given.
 */
export function draftFromBody(body: unknown, version: number, routeId?: string): Policy {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('The policy is not valid.', [{ path: '', message: 'expected an object' }]);
  }
  const issues: ValidationIssue[] = [];
  const fields: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [field, message] of Object.entries(SERVER_FIELDS)) {
    if (field in fields) {
      issues.push({ path: `/${field}`, message });
      delete fields[field];
    }
  }
  if (routeId !== undefined) {
    if (fields.id !== undefined && fields.id !== routeId) {
      issues.push({ path: '/id', message: `must match the id in the URL ("${routeId}") when given` });
    }
    fields.id = routeId;
  } else {
    checkPolicyId(fields.id, '/id', issues);
  }
  let policy: Policy | undefined;
  try {
    policy = validatePolicy({ ...fields, version, status: 'draft' });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...err.errors);
  }
  if (issues.length > 0 || policy === undefined)
    throw new ValidationError('The policy is not valid.', issues);
  return policy;
}
