import { ValidationError, type ValidationIssue } from '../../domain/errors';
import type { OrderIntake } from '../../domain/orders/order';
import { parseJsonLossless } from '../../domain/providers/parse-json-lossless';
import { runTransformation, TransformationError } from '../../domain/providers/run-transformation';
import type { Validator } from '../../schemas/validator';
import type { TransformMessageDeps } from './transform-message';
import type { ProviderPlugins } from '../../ports/provider-plugins';

export interface PreviewInput {
  provider?: string;
  transformation?: string;
  messageType: string;
  sample: unknown;
  mappingGroupId?: string;
  instanceId?: string;
}

export interface PreviewDeps extends TransformMessageDeps {
  plugins: ProviderPlugins;
  validatePreview: Validator<PreviewInput>;
}

/**
 * `POST /api/v1/transformations/preview`: runs a transformation (the one given, else the provider's
 * built-in one for the message type) on a sample and answers `{output, errors}` — JSONata errors,
 * SKUs with neither a mapping nor a product, and what makes the output not a valid order. A sample
 * given as text is parsed as a provider's JSON is (ids beyond 2^53 kept). Changes nothing.
 */
export async function previewTransformation(
  deps: PreviewDeps,
  body: unknown
): Promise<{ output: unknown; errors: ValidationIssue[] }> {
  const input = deps.validatePreview(body);
  const instance =
    input.instanceId === undefined ? undefined : await deps.settings.instance(input.instanceId);
  const providerId = input.provider ?? instance?.provider;
  const expression =
    input.transformation ??
    (providerId === undefined
      ? undefined
      : deps.plugins.get(providerId)?.definition.transformations[input.messageType]);
  if (expression === undefined) {
    throw new ValidationError('Nothing to preview.', [
      {
        path: '/transformation',
        message: 'give a transformation, or a provider with a built-in one for this message type',
      },
    ]);
  }
  const groupId = input.mappingGroupId ?? instance?.mappingGroupId;
  const group = groupId === undefined ? undefined : await deps.settings.mappingGroup(groupId);
  if (groupId !== undefined && group === undefined) {
    throw new ValidationError('Unknown mapping group.', [
      { path: '/mappingGroupId', message: `no mapping group ${groupId}` },
    ]);
  }
  let sample = input.sample;
  if (typeof sample === 'string') {
    try {
      sample = parseJsonLossless(sample);
    } catch {
      // A sample that is not JSON text is previewed as the string it is.
    }
  }
  let result;
  try {
    result = await runTransformation(expression, sample, {
      instanceId: instance?.id ?? 'preview',
      parameters: instance?.parameters ?? {},
      mappings: group?.mappings ?? [],
      now: deps.clock.now(),
    });
  } catch (err) {
    if (err instanceof TransformationError || err instanceof ValidationError)
      return { output: null, errors: [...err.errors] };
    throw err;
  }
  const errors: ValidationIssue[] = [];
  for (const { value } of result.unmapped.filter((u) => u.type === 'sku')) {
    if (!(await deps.productExists(value))) {
      errors.push({ path: '/lines', message: `no sku mapping for "${value}" and no product with that SKU` });
    }
  }
  const output = result.output;
  if (typeof output === 'object' && output !== null && !Array.isArray(output)) {
    const candidate: Record<string, unknown> = { ...(output as Record<string, unknown>) };
    delete candidate.cancelled;
    if (candidate.channel === undefined) candidate.channel = instance?.id ?? 'preview';
    try {
      deps.validateOrder(candidate) satisfies OrderIntake;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(...err.errors.map((issue) => ({ path: `/output${issue.path}`, message: issue.message })));
    }
  } else {
    errors.push({ path: '/output', message: 'must be an order object' });
  }
  return { output: output ?? null, errors };
}
