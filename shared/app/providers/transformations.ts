import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../domain/errors';
import type { ProviderDefinition } from '../../domain/providers/provider-definition';
import type { ProviderInstance } from '../../domain/providers/provider-instance';
import { compileTransformation } from '../../domain/providers/run-transformation';
import { latestVersion, type Transformation } from '../../domain/providers/transformation';
import type { Clock } from '../../ports/clock';
import type { ProviderPlugins } from '../../ports/provider-plugins';
import type { Validator } from '../../schemas/validator';
import type { ProviderSettings } from './provider-settings';

export interface TransformationInput {
  messageType: string;
  provider?: string;
  description?: string;
  expression?: string;
  copyOf?: { provider?: string; messageType?: string; transformationId?: string; version?: number };
}

export interface TransformationDeps {
  plugins: ProviderPlugins;
  settings: ProviderSettings;
  validate: { route: Validator<{ id: string }>; transformation: Validator<TransformationInput> };
  clock: Clock;
}

/**
 * `PUT /api/v1/transformations/{id}`: a new version of a user transformation — the expression given,
 * or a copy of a built-in (`copyOf: {provider, messageType}`) or of another transformation's version
 * to edit from. The expression must compile (400 naming the position). The same expression as the
 * latest version changes nothing.
 */
export async function putTransformation(
  deps: TransformationDeps,
  rawId: string,
  body: unknown
): Promise<{ transformation: Transformation; created: boolean }> {
  const { id } = deps.validate.route({ id: rawId });
  const input = deps.validate.transformation(body);
  if (input.expression === undefined && input.copyOf === undefined) {
    throw new ValidationError('The transformation is not valid.', [
      { path: '/expression', message: 'give an expression, or copyOf to start from a copy' },
    ]);
  }
  const expression = input.expression ?? (await copiedExpression(deps, input));
  compileTransformation(expression);
  for (let round = 1; round <= 5; round++) {
    const found = await deps.settings.repository.getTransformation(id);
    const now = deps.clock.now().toISOString();
    if (found !== undefined && found.transformation.messageType !== input.messageType) {
      throw new ConflictError(
        `Transformation ${id} is for ${found.transformation.messageType}; use another id for ${input.messageType}.`,
        { code: 'transformation-message-type' }
      );
    }
    const current = found?.transformation;
    if (current !== undefined && latestVersion(current).expression === expression) {
      return { transformation: current, created: false };
    }
    const versions = current?.versions ?? [];
    const next: Transformation = {
      id,
      messageType: input.messageType,
      ...(input.provider === undefined ? {} : { provider: input.provider }),
      ...(input.description === undefined ? {} : { description: input.description }),
      versions: [...versions, { version: versions.length + 1, expression, createdAt: now }],
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    try {
      await deps.settings.repository.putTransformation(next, found?.etag);
    } catch (err) {
      if (err instanceof PreconditionFailedError || err instanceof ConflictError) continue;
      throw err;
    }
    deps.settings.forget();
    return { transformation: next, created: found === undefined };
  }
  throw new PreconditionFailedError(
    `Transformation ${id} kept changing while it was being saved; try again.`
  );
}

async function copiedExpression(deps: TransformationDeps, input: TransformationInput): Promise<string> {
  const copy = input.copyOf ?? {};
  if (copy.transformationId !== undefined) {
    const found = await deps.settings.repository.getTransformation(copy.transformationId);
    const version =
      copy.version === undefined
        ? found && latestVersion(found.transformation)
        : found?.transformation.versions.find((v) => v.version === copy.version);
    if (version === undefined) {
      throw new ValidationError('Nothing to copy.', [
        {
          path: '/copyOf',
          message: `no transformation ${copy.transformationId}${copy.version ? ` version ${copy.version}` : ''}`,
        },
      ]);
    }
    return version.expression;
  }
  const definition = deps.plugins.get(copy.provider ?? input.provider ?? '')?.definition;
  const expression = definition?.transformations[copy.messageType ?? input.messageType];
  if (expression === undefined) {
    throw new ValidationError('Nothing to copy.', [
      {
        path: '/copyOf',
        message: 'name a provider and message type with a built-in transformation, or a transformationId',
      },
    ]);
  }
  return expression;
}

export async function getTransformation(deps: TransformationDeps, rawId: string): Promise<Transformation> {
  const { id } = deps.validate.route({ id: rawId });
  const found = await deps.settings.repository.getTransformation(id);
  if (found === undefined) {
    throw new NotFoundError(`No transformation ${id}.`, { code: 'transformation-not-found' });
  }
  return found.transformation;
}

export function listTransformations(deps: TransformationDeps): Promise<Transformation[]> {
  return deps.settings.repository.listTransformations();
}

/**
 * The expression in force for an instance's message type: the instance's own transformation (its
 * latest version), else the definition's built-in one; undefined when neither exists.
 */
export async function expressionFor(
  settings: ProviderSettings,
  definition: ProviderDefinition,
  instance: Pick<ProviderInstance, 'transformations'> | undefined,
  messageType: string
): Promise<string | undefined> {
  const ownId = instance?.transformations?.[messageType];
  if (ownId !== undefined) {
    const own = await settings.transformation(ownId);
    if (own !== undefined) return latestVersion(own).expression;
  }
  return definition.transformations[messageType];
}
