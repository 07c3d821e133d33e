import * as fs from 'node:fs';
import * as path from 'node:path';
import { ServiceStartError } from './errors';

/**
 * Path of a compiled service entry (`cosmos-server-main`, `azurite-main`). Children always run the
 * build output; when this module itself is loaded from TypeScript source (ts-jest, ts-node) that is
 * the package's own build, under its dist/ at the same relative path.
 */
export function serviceScript(name: string): string {
  const dir = __filename.endsWith('.js') ? __dirname : path.resolve(__dirname, '..', 'dist', 'services');
  const file = path.join(dir, `${name}.js`);
  if (!fs.existsSync(file))
    throw new ServiceStartError(name, `${file} is missing; run \`npm run build\` first`);
  return file;
}
