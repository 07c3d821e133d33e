import { ValidationError } from '../errors';
import { cloneJson } from './clone-json';
import { parsePolicyPath, type PathSegment } from './parse-policy-path';
import type { JsonValue, SetValueAction } from './policy';
import { PolicyActionError } from './policy-action-error';

export type SetValue = <T extends object>(entity: T) => T;

/**
 * Compiles `{path, value}` into a function returning a new entity with the value set; the input is never
 * mutated (objects along the path are copied, everything else is shared). Missing objects along the
 * path are created; `lines[all].source` sets the field on every element, and does nothing when the
 * list is missing or empty. The value is cloned per application so that entities never share (or
 * inherit the frozenness of) a published policy's value.
 */
export function compileSetValueAction(action: SetValueAction): SetValue {
  const parsed = parsePolicyPath(action.path);
  if (!parsed.ok)
    throw new ValidationError(`policy is invalid: ${parsed.message}`, [
      { path: 'path', message: parsed.message },
    ]);
  const segments = parsed.segments;
  const value = action.value;
  const fresh =
    typeof value === 'object' && value !== null ? (): JsonValue => cloneJson(value) : (): JsonValue => value;
  return <T extends object>(entity: T): T => setAt(entity, segments, 0, fresh, action.path) as T;
}

function setAt(
  target: unknown,
  segments: readonly PathSegment[],
  index: number,
  value: () => JsonValue,
  path: string
): Record<string, unknown> {
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    const where =
      segments
        .slice(0, index)
        .map((s) => s.field)
        .join('.') || 'the entity';
    throw new PolicyActionError(`cannot set ${path}: ${where} is not an object`, path);
  }
  const record = target as Record<string, unknown>;
  const { field, quantifier } = segments[index]!;
  if (index === segments.length - 1) return { ...record, [field]: value() };
  const child = Object.hasOwn(record, field) ? record[field] : undefined;
  if (quantifier === 'all') {
    if (child === undefined || child === null) return record;
    if (!Array.isArray(child))
      throw new PolicyActionError(`cannot set ${path}: ${field} is not a list`, path);
    return { ...record, [field]: child.map((element) => setAt(element, segments, index + 1, value, path)) };
  }
  const next = child === undefined || child === null ? {} : child;
  return { ...record, [field]: setAt(next, segments, index + 1, value, path) };
}
