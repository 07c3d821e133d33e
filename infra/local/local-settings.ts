import { existsSync, readFileSync } from 'fs';
import path from 'path';

/**
 * The app's `local.settings.json` as Core Tools reads it: its `Values` become environment variables
 * unless the environment already has them. `candidates` are tried in order against the app's root;
 * the first that exists is read. Returns the file read, if any.
 */
export function applyLocalSettings(
  appRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  candidates: string[] = ['local.settings.json']
): string | undefined {
  const file = candidates
    .map((name) => path.resolve(appRoot, name))
    .find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  for (const [name, value] of Object.entries(parsed.Values ?? {})) {
    const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (env[name] === undefined && scalar) env[name] = String(value);
  }
  return file;
}
