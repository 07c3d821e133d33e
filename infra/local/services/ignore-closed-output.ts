/**
 * A service child whose supervisor was killed has nobody reading its stdout/stderr: a later log line
 * fails with EPIPE, which would crash it in the middle of its graceful shutdown (Azurite saves its
 * metadata then). Dropping output nobody can read is the right answer.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => undefined);
}
