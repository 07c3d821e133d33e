import { ValidationError } from '../../domain/errors';
import { newOrder, type OrderIntake } from '../../domain/orders/order';
import { InboundMessageError } from '../../domain/providers/inbound-message';
import type {
  MessageIntent,
  MessageType,
  ProviderDefinition,
} from '../../domain/providers/provider-definition';
import type { ProviderInstance } from '../../domain/providers/provider-instance';
import {
  runTransformation,
  TransformationError,
  type TransformationResult,
} from '../../domain/providers/run-transformation';
import type { UnmappedValue } from '../../domain/providers/value-mappings';
import type { Clock } from '../../ports/clock';
import { expressionFor } from './transformations';
import type { ProviderSettings } from './provider-settings';

export interface TransformMessageDeps {
  settings: ProviderSettings;
  /** Whether a SKU names one of our products (an unmapped SKU must). */
  productExists: (sku: string) => Promise<boolean>;
  validateOrder: (input: unknown) => OrderIntake;
  clock: Clock;
}

export interface TransformedMessage {
  intake: OrderIntake;
  intent: MessageIntent;
  /** The transformation said the provider cancelled the order (`cancelled: true` in its output). */
  cancelled: boolean;
}

/**
 * A provider message as our order: the transformation in force for its type runs with the instance's
 * mapping group; SKUs that passed through without a mapping must name a product of ours; the output
 * must be a valid order. Each failure is an InboundMessageError naming its step, so the error list
 * says what to fix (the mapping, the transformation or the data).
 */
export async function transformMessage(
  deps: TransformMessageDeps,
  definition: ProviderDefinition,
  instance: ProviderInstance,
  messageType: string,
  body: unknown
): Promise<TransformedMessage> {
  const { type, result } = await runMessageTransformation(deps, definition, instance, messageType, body);
  const missing = await missingSkus(deps, result.unmapped);
  if (missing.length > 0) {
    const names = missing.map((sku) => `"${sku}"`).join(', ');
    throw new InboundMessageError(
      'mapping',
      `No sku mapping for ${names}${instance.mappingGroupId ? ` in mapping group ${instance.mappingGroupId}` : ''}, and no product with ${missing.length === 1 ? 'that SKU' : 'those SKUs'}.`,
      `Add a mapping {type: "sku", external: ${names.split(', ')[0]}, internal: <our SKU>} to the instance's mapping group (or create the product), then resubmit.`
    );
  }
  const output = result.output;
  const cancelled = isObject(output) && output.cancelled === true;
  const candidate = isObject(output) ? { ...output, channel: instance.id } : output;
  if (isObject(candidate)) delete candidate.cancelled;
  let intake: OrderIntake;
  try {
    intake = deps.validateOrder(candidate);
    newOrder(intake, { orderId: 'check', intakeKey: 'check' }, deps.clock.now());
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new InboundMessageError(
      'validation',
      `The ${messageType} transformation's output is not a valid order.`,
      issuesText(err)
    );
  }
  return { intake, intent: type.intent, cancelled };
}

/**
 * The transformation in force for a message type, run with the instance's mapping group: the message
 * type (with its intent) and the raw result. An InboundMessageError names what failed.
 */
export async function runMessageTransformation(
  deps: Pick<TransformMessageDeps, 'settings' | 'clock'>,
  definition: ProviderDefinition,
  instance: ProviderInstance,
  messageType: string,
  body: unknown
): Promise<{ type: MessageType; result: TransformationResult }> {
  const type = definition.messageTypes.find((t) => t.name === messageType);
  const expression = await expressionFor(deps.settings, definition, instance, messageType);
  if (type === undefined || expression === undefined) {
    throw new InboundMessageError(
      'transformation',
      `${definition.name} has no transformation for message type "${messageType}".`,
      `Message types with one: ${definition.messageTypes.map((t) => t.name).join(', ')}.`
    );
  }
  const group =
    instance.mappingGroupId === undefined
      ? undefined
      : await deps.settings.mappingGroup(instance.mappingGroupId);
  try {
    const result = await runTransformation(expression, body, {
      instanceId: instance.id,
      parameters: instance.parameters,
      mappings: group?.mappings ?? [],
      now: deps.clock.now(),
    });
    return { type, result };
  } catch (err) {
    if (!(err instanceof TransformationError)) throw err;
    throw new InboundMessageError(
      'transformation',
      `The ${messageType} transformation failed.`,
      issuesText(err)
    );
  }
}

async function missingSkus(
  deps: TransformMessageDeps,
  unmapped: readonly UnmappedValue[]
): Promise<string[]> {
  const skus = [...new Set(unmapped.filter((u) => u.type === 'sku').map((u) => u.value))];
  const exists = await Promise.all(skus.map((sku) => deps.productExists(sku)));
  return skus.filter((_, i) => !exists[i]);
}

export function issuesText(err: ValidationError): string {
  return err.errors.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
