import { MessageQueue } from '../../durable/message-queue';

// Delayed messages: `wake` is called when the earliest one turns visible, and not before.

const day = 24 * 3600_000;

it('does not wake before a message delayed beyond the longest Node timer (~24.8 days) turns visible', async () => {
  let wakes = 0;
  const queue = new MessageQueue(() => wakes++);
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    queue.add({ id: 'a', body: {}, visibleAt: Date.now() + 30 * day });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wakes).toBe(0);
    expect(queue.receive(1, 1000, Date.now())).toEqual([]);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  } finally {
    queue.stop();
    process.off('warning', onWarning);
  }
});

it('wakes once a delayed message turns visible', async () => {
  let wakes = 0;
  const queue = new MessageQueue(() => wakes++);
  try {
    queue.add({ id: 'a', body: { n: 1 }, visibleAt: Date.now() + 30 });
    expect(wakes).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wakes).toBe(1);
    expect(queue.receive(1, 1000, Date.now()).map((m) => m.body)).toEqual([{ n: 1 }]);
  } finally {
    queue.stop();
  }
});
