import * as http from 'node:http';
import * as readline from 'node:readline';

/** Must match the Azurite child's stream (services/queue-events.ts). */
const eventsPath = '$queue-events';
const reconnectMs = 1000;

/**
 * Tells queue triggers that their queue got a message, when the storage is the Azurite this package
 * runs (it streams the names of queues that got one). Anything else answers the request with an
 * error, and the triggers keep to polling alone.
 */
export class QueueEvents {
  #subscribers = new Map<string, Set<() => void>>();
  #request: http.ClientRequest | undefined;
  #closed = false;

  constructor(private readonly queueServiceUrl: string) {}

  /** Calls `wake` whenever `queue` may have a message; returns the unsubscribe. */
  subscribe(queue: string, wake: () => void): () => void {
    const name = queue.toLowerCase();
    const set = this.#subscribers.get(name) ?? new Set();
    set.add(wake);
    this.#subscribers.set(name, set);
    if (!this.#request && !this.#closed) this.#connect();
    return () => {
      set.delete(wake);
      if ([...this.#subscribers.values()].every((s) => s.size === 0)) this.close();
    };
  }

  close(): void {
    this.#closed = true;
    this.#request?.destroy();
  }

  #connect(): void {
    const url = new URL(`${this.queueServiceUrl.replace(/\/$/, '')}/${eventsPath}`);
    if (url.protocol !== 'http:') return;
    const request = http.get(url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        this.#closed = true; // not our Azurite: polling only
        return;
      }
      const lines = readline.createInterface({ input: res });
      lines.on('line', (line) => {
        for (const wake of this.#subscribers.get(line.trim()) ?? []) wake();
      });
      // Azurite stopping cuts the stream: an error here is that, and 'close' follows.
      lines.on('error', () => undefined);
      res.on('error', () => undefined);
      res.once('close', () => this.#reconnectLater());
    });
    request.once('error', () => this.#reconnectLater());
    this.#request = request;
  }

  /** Azurite restarted, or is still starting: try again, and wake everyone meanwhile (may have missed some). */
  #reconnectLater(): void {
    this.#request = undefined;
    if (this.#closed) return;
    for (const set of this.#subscribers.values()) for (const wake of set) wake();
    setTimeout(() => {
      if (!this.#closed && !this.#request) this.#connect();
    }, reconnectMs).unref();
  }
}
