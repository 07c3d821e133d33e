import { existsSync, readFileSync } from 'fs';
import path from 'path';

/**
 * `local.settings.json` as Core Tools reads it: its `Values` become environment variables unless the
 * environment already has them. A fresh clone has only the sample, whose values are local defaults.
 */
export function applyLocalSettings(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = ['local.settings.json', 'local.settings.sample.json']
    .map((name) => path.join(root, name))
    .find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  for (const [name, value] of Object.entries(parsed.Values ?? {})) {
    const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (env[name] === undefined && scalar) env[name] = String(value);
  }
  return file;
}
