import { createHash } from 'crypto';
import { readdir, readFile } from 'fs/promises';
import path from 'path';
import type { ConsoleFile, ConsoleFiles } from '../../ports/console-files';

/**
 * The console's files read from one directory. Only names the directory lists are served (so a
 * decoded `..%2F` never reaches the file system), each read once and kept: a deployment never
 * changes them, and `npm start` rebuilds before it starts.
 */
export function consoleFileDirectory(directory: string): ConsoleFiles {
  let names: Promise<Set<string>> | undefined;
  const files = new Map<string, Promise<ConsoleFile>>();
  const listed = () =>
    (names ??= readdir(directory, { withFileTypes: true })
      .then((entries) => new Set(entries.filter((entry) => entry.isFile()).map((entry) => entry.name)))
      .catch((err: NodeJS.ErrnoException) => {
        names = undefined;
        if (err.code === 'ENOENT') return new Set<string>();
        throw err;
      }));
  return {
    async get(name) {
      if (!(await listed()).has(name)) return undefined;
      let file = files.get(name);
      if (!file) {
        file = readFile(path.join(directory, name)).then((content) => ({
          name,
          content,
          etag: `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`,
        }));
        files.set(name, file);
        file.catch(() => files.delete(name));
      }
      return file;
    },
  };
}
