import type { ConsoleFile, ConsoleFiles } from '../../ports/console-files';

/** The content types of what the console build writes; any other file is not served. */
const contentTypes: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

export interface ConsoleFileDeps {
  files: ConsoleFiles;
}

/** `/` is the console's index.html; `/{name}` its file of that name, or undefined when there is none. */
export async function consoleFile(
  deps: ConsoleFileDeps,
  requested: string | undefined
): Promise<{ file: ConsoleFile; contentType: string } | undefined> {
  const name = requested || 'index.html';
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const contentType = contentTypes[extension];
  if (!contentType) return undefined;
  const file = await deps.files.get(name);
  return file ? { file, contentType } : undefined;
}
