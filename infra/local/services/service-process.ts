import { watchParent } from './parent-watch';

/** A service a child process runs: where it listens, and how it stops. */
export interface RunningService {
  port: number;
  close(): Promise<void>;
}

/**
 * The life of a service child process (`*-main.ts`): starts the service, prints exactly one line
 * `{"ready":true,"port":N}` on stdout once it listens (supervisors wait for it), stops it on SIGTERM,
 * SIGINT or when the parent is gone, and exits 1 with the reason when it cannot start. Everything
 * else goes to stderr, each line prefixed with `name`.
 */
export function runServiceProcess(name: string, start: () => Promise<RunningService>): void {
  start().then(
    (service) => {
      let stopping = false;
      const stop = (reason: string): void => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${name}: stopping (${reason})\n`);
        service.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`${name}: close failed: ${String(err)}\n`);
            process.exit(1);
          }
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
      watchParent(() => stop('parent process gone'));
      process.stdout.write(`${JSON.stringify({ ready: true, port: service.port })}\n`);
    },
    (err: unknown) => {
      process.stderr.write(
        `${name}: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
      );
      process.exit(1);
    }
  );
}

/** `--port`: an integer 0–65535 (0: any free port). */
export function portArgument(value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${value}`);
  return port;
}
