import { app, type InvocationContext } from '@azure/functions';
import { handler } from '../shared/http/handlers';
import { pageBody } from '../shared/http/respond';
import { listErrors } from '../shared/app/error-lists/list-errors';
import { recordInboundError } from '../shared/app/error-lists/record-inbound-error';
import { resubmitError } from '../shared/app/error-lists/resubmit-error';
import { intakeQueueName } from '../shared/adapters/storage/intake-queue';
import {
  getClock,
  getErrorListRepository,
  getIntakeArchive,
  getOrderIntakeValidator,
  getOrderRepository,
  getResubmitQueue,
} from '../shared/composition';
import type { ErrorEntry } from '../shared/domain/error-lists/error-entry';

/**
 * Error lists (DESIGN §3, `jobs`): what failed for good, to look at and resubmit.
 *
 * - `GET /api/v1/errors?list=&status=&top=&continuationToken=` → `{items, continuationToken?}`,
 *   newest first; 400 problem for an unknown list or status.
 * - `POST /api/v1/errors/{id}/resubmit?list=` → 200 with the entry, now `resubmitted`: its payload is
 *   back on its queue. Idempotent: resubmitting an entry that is already `resubmitted` queues
 *   nothing and answers 200 with the same entry. 404 for an unknown id, 409 problem for a
 *   dismissed entry or one without a payload.
 */

/** host.json `extensions.queues.maxDequeueCount`: deliveries a message failed before it was poisoned. */
const intakeMaxDequeueCount = 5;
const intakePoisonQueueName = `${intakeQueueName}-poison`;

export const listErrorEntries = handler(async (request) => {
  const status = request.query.get('status') ?? undefined;
  const continuationToken = request.query.get('continuationToken') ?? undefined;
  const page = await listErrors(await getErrorListRepository(), {
    list: request.query.get('list') ?? undefined,
    top: Number(request.query.get('top') ?? 50),
    ...(status !== undefined ? { status } : {}),
    ...(continuationToken !== undefined ? { continuationToken } : {}),
  });
  return {
    jsonBody: pageBody(page, errorView),
  };
});

export const resubmitErrorEntry = handler(async (request) => {
  const deps = { errors: await getErrorListRepository(), queue: getResubmitQueue(), clock: getClock() };
  const entry = await resubmitError(deps, request.query.get('list') ?? undefined, request.params.id ?? '');
  return { jsonBody: errorView(entry) };
});

/**
 * The intake queue's poison queue: each message the host gave up on becomes an entry on the
 * provider-inbound list (with its payload and the reason, found again by re-checking it). The host
 * deletes the poison message only when this returns, i.e. after the entry is stored; the entry id
 * comes from the poison message id, so a redelivery records nothing twice.
 */
export async function recordPoisonedIntake(message: unknown, context: InvocationContext): Promise<void> {
  const messageId = context.triggerMetadata?.id;
  if (typeof messageId !== 'string' || messageId === '')
    throw new Error('The queue trigger gave no message id.');
  const outcome = await recordInboundError(
    {
      errors: await getErrorListRepository(),
      archive: getIntakeArchive(),
      orders: await getOrderRepository(),
      validate: getOrderIntakeValidator(),
      clock: getClock(),
    },
    { queue: intakeQueueName, messageId, message, attempts: intakeMaxDequeueCount }
  );
  context.log(`poisoned intake message ${messageId}: ${outcome} on the provider-inbound error list`);
}

/** An entry as the API shows it. */
function errorView(entry: ErrorEntry): Record<string, unknown> {
  const { type: _type, ...view } = entry;
  return view;
}

app.http('listErrors', {
  route: 'v1/errors',
  methods: ['GET'],
  authLevel: 'function',
  handler: listErrorEntries,
});
app.http('resubmitError', {
  route: 'v1/errors/{id}/resubmit',
  methods: ['POST'],
  authLevel: 'function',
  handler: resubmitErrorEntry,
});
app.storageQueue('recordPoisonedIntake', {
  queueName: intakePoisonQueueName,
  connection: 'AzureWebJobsStorage',
  handler: recordPoisonedIntake,
});
