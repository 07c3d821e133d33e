import Ajv, { type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationError, type ValidationIssue } from '../domain/errors';

/** One Ajv instance for the whole app: schemas compile once, at module load. */
const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false });
addFormats(ajv);

export type Validator<T> = (input: unknown) => T;

/** A validator that returns the typed value or throws a ValidationError listing every offending path. */
export function compileValidator<T>(schema: JSONSchemaType<T> | object, what: string): Validator<T> {
  const validate = ajv.compile(schema) as ValidateFunction<T>;
  return (input: unknown): T => {
    if (validate(input)) return input;
    throw new ValidationError(`The ${what} is not valid.`, issuesOf(validate.errors ?? []));
  };
}

function issuesOf(errors: ErrorObject[]): ValidationIssue[] {
  return errors.map((error) => {
    const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
    const extra =
      error.keyword === 'additionalProperties' ? `/${String(error.params.additionalProperty)}` : '';
    const path = `${error.instancePath}${missing || extra}`;
    return { path, message: messageOf(error) };
  });
}

function messageOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of the allowed values${Array.isArray(error.params.allowedValues) && error.params.allowedValues.length <= 10 ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : ''}`;
    default:
      return error.message ?? 'is not valid';
  }
}
