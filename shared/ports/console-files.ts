/** One file of the built console, as the server answers it. */
export interface ConsoleFile {
  name: string;
  content: Uint8Array;
  /** A strong ETag of the content, quoted as HTTP sends it. */
  etag: string;
}

/** The console's built files (`dist/console`): a flat directory, looked up by file name only. */
export interface ConsoleFiles {
  /** The file of that exact name, or undefined (also for any name that is not a plain file name). */
  get(name: string): Promise<ConsoleFile | undefined>;
}
