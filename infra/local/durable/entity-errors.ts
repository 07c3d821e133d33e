import { AsyncLocalStorage } from 'node:async_hooks';

const inEntityInvocation = new AsyncLocalStorage<boolean>();

/**
 * Runs an entity function so that an Error one of its operations throws keeps its message.
 * `durable-functions` records a failed operation as `JSON.stringify(error)`, which is `{}` for an
 * Error, so a caller would learn nothing. While an entity function runs (and only then, as the async
 * context tells), Errors serialize as `{name, message}`; everywhere else `toJSON` returns the error
 * itself, which JSON.stringify serializes exactly as it would without a `toJSON`.
 */
export function keepingErrorMessages<T>(run: () => Promise<T>): Promise<T> {
  install();
  return inEntityInvocation.run(true, run);
}

let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  if (Object.prototype.hasOwnProperty.call(Error.prototype, 'toJSON')) return;
  Object.defineProperty(Error.prototype, 'toJSON', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function toJSON(this: Error): unknown {
      return inEntityInvocation.getStore() ? { name: this.name, message: this.message } : this;
    },
  });
}
