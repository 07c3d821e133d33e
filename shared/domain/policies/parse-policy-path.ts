/**
 * Path syntax: dot-separated field names, each optionally followed by a quantifier `[any]` or `[all]`.
 * Field names are `[A-Za-z_][A-Za-z0-9_-]*`; `__proto__`, `prototype` and `constructor` are refused so
 * that a set-value action can never reach an object's prototype.
 */

export type PathQuantifier = 'any' | 'all';

export interface PathSegment {
  readonly field: string;
  readonly quantifier?: PathQuantifier;
}

export type ParsedPolicyPath =
  | { readonly ok: true; readonly segments: readonly PathSegment[] }
  | { readonly ok: false; readonly message: string };

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\[([^\]]*)\])?$/;
const FORBIDDEN_FIELDS = new Set(['__proto__', 'prototype', 'constructor']);

export function parsePolicyPath(path: string): ParsedPolicyPath {
  if (path === '') return { ok: false, message: 'path is empty' };
  const segments: PathSegment[] = [];
  for (const text of path.split('.')) {
    const match = SEGMENT.exec(text);
    const field = match?.[1];
    if (match === null || field === undefined) {
      return {
        ok: false,
        message: `bad path segment "${text}" in "${path}": expected a field name like shipTo or lines[any]`,
      };
    }
    if (FORBIDDEN_FIELDS.has(field)) return { ok: false, message: `field name "${field}" is not allowed` };
    const quantifier = match[2];
    if (quantifier === undefined) {
      segments.push({ field });
    } else if (quantifier === 'any' || quantifier === 'all') {
      segments.push({ field, quantifier });
    } else {
      return {
        ok: false,
        message: `unsupported quantifier "[${quantifier}]" in "${path}": use [any] or [all]`,
      };
    }
  }
  return { ok: true, segments };
}
