import { receiveWebhook } from '../shared/app/providers/receive-webhook';
import { receiveWebhookDeps } from '../shared/app/providers/wiring';
import { problem } from '../shared/http/problem';
import { route } from '../shared/http/route';

/**
 * POST /api/providers/{instanceId}/webhook: provider callbacks, checked by the provider's own
 * signature (401 when it fails, nothing stored) and answered 202 once queued.
 */
route(
  'receiveProviderWebhook',
  'POST',
  'providers/{instanceId}/webhook',
  async (request) => {
    const rawBody = Buffer.from(await request.arrayBuffer());
    const deps = await receiveWebhookDeps();
    const outcome = await receiveWebhook(deps, request.params.instanceId ?? '', {
      headers: request.headers,
      query: request.query,
      rawBody,
    });
    if (outcome.kind === 'refused') {
      const unauthorized = outcome.status === 401;
      return problem(outcome.status, unauthorized ? 'Unauthorized' : 'Bad request', outcome.reason, {
        slug: unauthorized ? 'invalid-signature' : 'bad-webhook',
      });
    }
    const { messageId, messageType, duplicate } = outcome;
    return { status: 202, jsonBody: { duplicate, messageId, messageType } };
  },
  { authLevel: 'anonymous' }
);
