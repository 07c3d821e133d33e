import { randomUUID } from 'crypto';

/** Raised when a binding expression names a value the trigger did not provide. */
export class BindingExpressionError extends Error {}

/** `%Setting%` in a binding property is read from the app settings, as in Azure. */
export function resolveAppSettings(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_m, name: string) => {
    const setting = env[name];
    if (setting === undefined) throw new BindingExpressionError(`App setting "${name}" is not set.`);
    return setting;
  });
}

/**
 * `{name}` in an output path is taken from the trigger's data (blob path parts, queue message
 * properties, trigger metadata); `{rand-guid}` and `{DateTime}` are generated.
 */
export function resolveBindingPath(template: string, data: Record<string, unknown>, now: Date): string {
  return resolveAppSettings(template).replace(/\{([^}]+)\}/g, (_m, expression: string) => {
    if (expression === 'rand-guid') return randomUUID();
    if (expression === 'DateTime') return now.toISOString();
    const value = lookup(data, expression);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return String(value);
    throw new BindingExpressionError(
      `Binding expression "{${expression}}" has no value for this invocation.`
    );
  });
}

function lookup(data: Record<string, unknown>, expression: string): unknown {
  let current: unknown = data;
  for (const part of expression.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}
