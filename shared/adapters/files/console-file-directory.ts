import { createHash } from 'crypto';
import { readFile, stat } from 'fs/promises';
import path from 'path';
import type { ConsoleFile, ConsoleFiles } from '../../ports/console-files';

/** What the console build names its files: no separators, no leading dot, so no way out of the folder. */
const plainFileName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The console's files read from one directory. A file is read again only when its size or time
 * changes, so a rebuild (`npm run build:console`) shows on the next reload without a restart.
 */
export function consoleFileDirectory(directory: string): ConsoleFiles {
  const read = new Map<string, { version: string; file: ConsoleFile }>();
  return {
    async get(name) {
      if (!plainFileName.test(name)) return undefined;
      const fullPath = path.join(directory, name);
      const info = await stat(fullPath).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
        throw err;
      });
      if (!info?.isFile()) return undefined;
      const version = `${info.size}:${info.mtimeMs}`;
      const known = read.get(name);
      if (known?.version === version) return known.file;
      const content = await readFile(fullPath);
      const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
      const file = { name, content, etag };
      read.set(name, { version, file });
      return file;
    },
  };
}
