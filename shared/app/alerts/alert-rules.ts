import { alertRuleOf, type AlertRule, type AlertRuleInput } from '../../domain/alerts/alert-rule';
import { NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors';
import type { AlertRuleRepository } from '../../ports/alerts';
import type { Clock } from '../../ports/clock';
import { collectIssues } from '../versioned-resources/collect-issues';

export interface AlertRuleValidators {
  /** The route parameter, given as `{id}` so issues are reported at `/id`. */
  route: (input: unknown) => { id: string };
  body: (input: unknown) => AlertRuleInput;
}

export interface AlertRuleDeps {
  validators: AlertRuleValidators;
  rules: AlertRuleRepository;
  clock: Clock;
}

/**
 * `PUT /api/v1/alert-rules/{id}`: creates or replaces the rule; 400 with every bad path (route and
 * body at once). Replacing keeps `createdAt`; alerts already raised under the rule stay as they are.
 */
export async function putAlertRule(
  deps: AlertRuleDeps,
  rawId: string,
  body: unknown
): Promise<{ rule: AlertRule; created: boolean }> {
  const issues: ValidationIssue[] = [];
  const route = collectIssues(() => deps.validators.route({ id: rawId }), issues);
  const input = collectIssues(() => deps.validators.body(body), issues);
  if (route === undefined || input === undefined)
    throw new ValidationError('The alert rule is not valid.', issues);
  const existing = await deps.rules.get(route.id);
  const rule = alertRuleOf(route.id, input, existing, deps.clock.now());
  await deps.rules.put(rule);
  return { rule, created: existing === undefined };
}

/** `GET /api/v1/alert-rules/{id}`; NotFoundError `alert-rule-not-found`. */
export async function getAlertRule(deps: AlertRuleDeps, rawId: string): Promise<AlertRule> {
  const { id } = deps.validators.route({ id: rawId });
  const rule = await deps.rules.get(id);
  if (rule === undefined) throw new NotFoundError(`No alert rule ${id}.`, { code: 'alert-rule-not-found' });
  return rule;
}

/** `GET /api/v1/alert-rules`: every rule, ordered by id. */
export async function listAlertRules(deps: Pick<AlertRuleDeps, 'rules'>): Promise<AlertRule[]> {
  return deps.rules.list();
}

/** `DELETE /api/v1/alert-rules/{id}`: its alerts stay listed; NotFoundError when there is no such rule. */
export async function deleteAlertRule(deps: AlertRuleDeps, rawId: string): Promise<void> {
  const { id } = deps.validators.route({ id: rawId });
  if (!(await deps.rules.delete(id))) {
    throw new NotFoundError(`No alert rule ${id}.`, { code: 'alert-rule-not-found' });
  }
}
