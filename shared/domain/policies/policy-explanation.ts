import type { JsonValue, PolicyOperator } from './policy';

/**
 * Why a rule held or failed, as a tree that mirrors the rule but keeps only the nodes that decided the
 * verdict. `pointer` is the node's JSON Pointer in the policy (`/rule/all/2`), the same form validation
 * errors use; `text` is one human-readable line for logs and the timeline.
 */
export type PolicyExplanation = ConditionExplanation | GroupExplanation;

export interface ConditionExplanation {
  readonly type: 'condition';
  readonly pointer: string;
  readonly passed: boolean;
  readonly path: string;
  readonly operator: PolicyOperator;
  readonly value?: JsonValue;
  /**
   * The value that decided the verdict and where it was found (`lines[4].quantity`); `actual` is
   * undefined when the path was missing. Absent when no single element decided: an `[any]` that no
   * element satisfied, or an `[all]` that every element (or none, vacuously) satisfied.
   */
  readonly witness?: { readonly path: string; readonly actual: unknown };
  /** e.g. `shipTo.country equals "US" failed: actual "DE"`. */
  readonly text: string;
}

export interface GroupExplanation {
  readonly type: 'all' | 'any';
  readonly pointer: string;
  readonly passed: boolean;
  /**
   * The children that decided: the first failing child of a failed `all`, the first holding child of a
   * held `any` (evaluation stops there); every child of a held `all` or a failed `any`.
   */
  readonly decidedBy: readonly PolicyExplanation[];
  readonly text: string;
}
