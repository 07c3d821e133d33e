import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { deliverJourneySignals } from '../shared/app/journey-runtime/deliver-journey-signals';
import {
  recordJourneyFailure,
  runJourneyStep,
  type StepRequest,
} from '../shared/app/journey-runtime/run-journey-step';
import {
  journeyFunctions,
  journeyInstances,
  journeyOrchestrator,
  journeySignalsQueueName,
  journeyStepDeps,
  loadJourneyVersion,
} from '../shared/app/journey-runtime/wiring';

/** The journey orchestrator and its activities (docs/journeys.md). */
df.app.orchestration(journeyFunctions.orchestrator, journeyOrchestrator);
df.app.activity(journeyFunctions.loadJourney, { handler: loadJourneyVersion });
df.app.activity(journeyFunctions.step, {
  handler: async (request: StepRequest) => runJourneyStep(await journeyStepDeps(), request),
});
df.app.activity(journeyFunctions.failure, {
  handler: async (request: Parameters<typeof recordJourneyFailure>[1]) =>
    recordJourneyFailure(await journeyStepDeps(), request),
});

/** Starts of journey instances and business events raised on their entities from outside. */
app.storageQueue('deliverJourneySignals', {
  queueName: journeySignalsQueueName,
  connection: 'AzureWebJobsStorage',
  extraInputs: [df.input.durableClient()],
  handler: async (message: unknown, context: InvocationContext) => {
    await deliverJourneySignals(journeyInstances(df.getClient(context)), message);
  },
});
