import { StateFrameworkInForce } from '../../../shared/app/states/state-framework-in-force';
import type { CustomStateFrameworkConfig } from '../../../shared/domain/states/merge-config';
import type { StateFrameworkStore } from '../../../shared/ports/state-framework';

/** A store that counts reads; `enabled` tells which version of the document a read saw. */
function countingStore() {
  let custom: CustomStateFrameworkConfig = {};
  const store: StateFrameworkStore & { reads: number } = {
    reads: 0,
    read: () => {
      store.reads += 1;
      return Promise.resolve({ custom, etag: `e${store.reads}` });
    },
    write: (next: CustomStateFrameworkConfig) => {
      custom = next;
      return Promise.resolve('written');
    },
  };
  return store;
}

function at(ms: number) {
  const clock = { ms, now: () => new Date(clock.ms) };
  return clock;
}

describe('StateFrameworkInForce', () => {
  it('reads the document once within the time to live, concurrent callers included', async () => {
    const store = countingStore();
    const clock = at(0);
    const inForce = new StateFrameworkInForce(store, clock, 1000);
    await Promise.all([inForce.config(), inForce.config(), inForce.config()]);
    clock.ms = 999;
    await inForce.config();
    expect(store.reads).toBe(1);
  });

  it('reads it again once the time to live has passed', async () => {
    const store = countingStore();
    const clock = at(0);
    const inForce = new StateFrameworkInForce(store, clock, 1000);
    await inForce.config();
    await store.write({ enabled: false }, undefined);
    clock.ms = 1000;
    expect((await inForce.config()).enabled).toBe(false);
    expect(store.reads).toBe(2);
  });

  it('forgets it at once when this process writes it', async () => {
    const store = countingStore();
    const inForce = new StateFrameworkInForce(store, at(0), 60_000);
    expect((await inForce.config()).enabled).toBe(true);
    await inForce.forgettingOnWrite(store).write({ enabled: false }, undefined);
    expect((await inForce.config()).enabled).toBe(false);
    expect(store.reads).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const store = countingStore();
    let fail = true;
    const flaky: StateFrameworkStore = {
      read: () => (fail ? Promise.reject(new Error('down')) : store.read()),
      write: (custom, etag) => store.write(custom, etag),
    };
    const inForce = new StateFrameworkInForce(flaky, at(0), 60_000);
    await expect(inForce.config()).rejects.toThrow('down');
    fail = false;
    await expect(inForce.config()).resolves.toBeDefined();
  });
});
