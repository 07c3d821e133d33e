/**
 * The HTTP baseline: a bare Node `http` server answering GET /api/ping with the same JSON the bench
 * app's `ping` function returns. Run as a child process, like the host, so both are measured alike.
 */
import http from 'http';
import type { AddressInfo } from 'net';

const body = Buffer.from(JSON.stringify({ status: 'ok' }));

const server = http.createServer((req, res) => {
  req.resume();
  req.once('end', () => {
    if (req.method === 'GET' && req.url === '/api/ping') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404, { 'content-length': 0 });
      res.end();
    }
  });
});
server.keepAliveTimeout = 5000; // as the host's HTTP server

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare ready on http://127.0.0.1:${port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Never outlive the benchmark that started us.
setTimeout(() => process.exit(1), Number(process.env.BENCH_CHILD_MAX_MS ?? 600_000)).unref();
