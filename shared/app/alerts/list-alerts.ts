import type { Alert, AlertState } from '../../domain/alerts/alert';
import type { AlertRepository } from '../../ports/alerts';
import type { Page } from '../../ports/orders';

export interface AlertListQuery {
  state?: AlertState;
  ruleId?: string;
  entityId?: string;
  continuationToken?: string;
}

export interface ListAlertsDeps {
  validate: (input: unknown) => AlertListQuery;
  alerts: AlertRepository;
}

/** `GET /api/v1/alerts?state=&ruleId=&entityId=&top=&continuationToken=`: newest raised first. */
export async function listAlerts(
  deps: ListAlertsDeps,
  query: Record<string, string>,
  top: number
): Promise<Page<Alert>> {
  const { continuationToken, ...filter } = deps.validate(query);
  return deps.alerts.find(filter, {
    maxItemCount: top,
    ...(continuationToken === undefined ? {} : { continuationToken }),
  });
}
