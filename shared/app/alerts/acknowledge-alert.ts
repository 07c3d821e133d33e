import { acknowledged, alertAcknowledgedEvent, alertCloudEvent, type Alert } from '../../domain/alerts/alert';
import { NotFoundError } from '../../domain/errors';
import type { AlertRepository } from '../../ports/alerts';
import type { Clock } from '../../ports/clock';
import type { BusinessEventPublisher } from '../../ports/orders';

export interface AcknowledgeAlertDeps {
  validators: {
    /** The route parameter, given as `{alertId}` so issues are reported at `/alertId`. */
    route: (input: unknown) => { alertId: string };
    body: (input: unknown) => { by?: string; note?: string };
  };
  alerts: AlertRepository;
  publisher: BusinessEventPublisher;
  clock: Clock;
}

const attempts = 5;

/**
 * `POST /api/v1/alerts/{alertId}/acknowledge`: marks the alert acknowledged (who, when, a note) and
 * publishes `Alert Acknowledged`. Idempotent: an acknowledged alert is answered as it is, and
 * nothing is published again. An acknowledged alert stays quiet: the evaluation never raises it again.
 */
export async function acknowledgeAlert(
  deps: AcknowledgeAlertDeps,
  rawAlertId: string,
  body: unknown
): Promise<Alert> {
  const { alertId } = deps.validators.route({ alertId: rawAlertId });
  const input = deps.validators.body(body ?? {});
  for (let attempt = 1; ; attempt++) {
    const found = await deps.alerts.get(alertId);
    if (found === undefined) throw new NotFoundError(`No alert ${alertId}.`, { code: 'alert-not-found' });
    const next = acknowledged(found.alert, input, deps.clock.now());
    if (next === undefined) return found.alert;
    if ((await deps.alerts.replaceIfMatch(next, found.etag)) === undefined) {
      // Changed meanwhile (the evaluation marking it notified, or another acknowledgement): read again.
      if (attempt < attempts) continue;
      throw new Error(`Alert ${alertId} kept changing; try again.`);
    }
    await deps.publisher.publish([alertCloudEvent(next, alertAcknowledgedEvent)]);
    return next;
  }
}
