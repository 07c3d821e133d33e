/**
 * A stream of queue names, served by the Azurite child at `GET /<account>/$queue-events` on its queue
 * port: a line for each queue that got a message (a `Put Message` answered 201). The local host's
 * queue triggers listen to it and receive at once instead of waiting out their polling backoff;
 * without it (another storage account) they poll as the Functions host does. `$` cannot start a
 * queue name, so the path is no queue's.
 */
import * as http from 'node:http';

export const QUEUE_EVENTS_PATH = '$queue-events';

const listeners = new Set<http.ServerResponse>();
let named = new Set<string>();
let flushing = false;

/** Taps every request the servers of this process get (Azurite binds its listeners its own way). */
export function serveQueueEvents(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with its own `this` below
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const segments = (req.url ?? '').split('?')[0]!.split('/');
      if (req.method === 'GET' && segments[2] === QUEUE_EVENTS_PATH) {
        subscribe(res);
        return true;
      }
      if (req.method === 'POST' && segments[3] === 'messages' && segments[2])
        res.once('finish', () => res.statusCode === 201 && announce(segments[2]!));
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

function subscribe(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.write('\n');
  listeners.add(res);
  res.once('close', () => listeners.delete(res));
}

/** Names are sent once per turn of the event loop, however many messages the turn put. */
function announce(queue: string): void {
  if (listeners.size === 0) return;
  named.add(decodeURIComponent(queue).toLowerCase());
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    const lines = [...named].map((name) => `${name}\n`).join('');
    named = new Set();
    flushing = false;
    for (const res of listeners) res.write(lines);
  });
}
