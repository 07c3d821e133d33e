import path from 'path';
import { consoleFileDirectory } from '../../adapters/files/console-file-directory';
import { memo } from '../registry';
import type { ConsoleFileDeps } from './console-file';

/**
 * The built console: `dist/console`, beside `dist/shared` (this file runs from
 * `dist/shared/app/console`). `npm run build` writes it.
 */
export const consoleDirectory = path.resolve(__dirname, '..', '..', '..', 'console');

export function consoleFileDeps(): ConsoleFileDeps {
  return memo('console.files', () => ({ files: consoleFileDirectory(consoleDirectory) }));
}
