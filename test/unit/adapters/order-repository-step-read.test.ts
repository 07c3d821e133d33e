import type { Container } from '@azure/cosmos';
import { CosmosOrderRepository } from '../../../shared/adapters/cosmos/order-repository';
import { stepResultId } from '../../../shared/domain/journeys/run-key';

/** A container holding `docs` (by id) whose bulk requests fail, as when the SDK lost its ranges. */
function containerWithFailingBulk(docs: Record<string, Record<string, unknown>>) {
  const calls = { bulk: 0, reads: [] as string[] };
  const container = {
    id: 'orders',
    items: {
      bulk: () => {
        calls.bulk += 1;
        return Promise.reject(new Error('partition key ranges unavailable'));
      },
    },
    item: (id: string) => ({
      read: () => {
        calls.reads.push(id);
        const doc = docs[id];
        return Promise.resolve(
          doc ? { statusCode: 200, resource: { ...doc, _etag: `etag-${id}` } } : { statusCode: 404 }
        );
      },
    }),
  } as unknown as Container;
  return { container, calls };
}

describe('CosmosOrderRepository.stepResultAndOrder', () => {
  it('reads the step result and the order as point reads when a bulk request fails', async () => {
    const { container, calls } = containerWithFailingBulk({ 'o-1': { id: 'o-1', orderId: 'o-1' } });
    const repo = new CosmosOrderRepository(container, { now: () => new Date(0) });
    const read = await repo.stepResultAndOrder('o-1', 'run-1');
    expect(read.stepResult).toBeUndefined();
    expect(read.current).toMatchObject({ order: { id: 'o-1' }, etag: 'etag-o-1' });
    expect(calls.bulk).toBe(1);
    expect(calls.reads.sort()).toEqual(['o-1', stepResultId('run-1')].sort());
  });
});
