import { defaultTopologyPath, parseTopology, readTopology } from '../../services/service-bus/topology';

it('fills the defaults, and subscriptions inherit their topic time to live', () => {
  expect(
    parseTopology({
      queues: [{ name: 'q' }],
      topics: [
        {
          name: 't',
          defaultMessageTimeToLiveSeconds: 30,
          subscriptions: [{ name: 's', lockDurationSeconds: 5, filter: { applicationProperties: { a: 1 } } }],
        },
      ],
    })
  ).toEqual({
    queues: [
      {
        name: 'q',
        maxDeliveryCount: 10,
        lockDurationSeconds: 60,
        defaultMessageTimeToLiveSeconds: undefined,
        deadLetteringOnMessageExpiration: false,
      },
    ],
    topics: [
      {
        name: 't',
        defaultMessageTimeToLiveSeconds: 30,
        subscriptions: [
          {
            name: 's',
            maxDeliveryCount: 10,
            lockDurationSeconds: 5,
            defaultMessageTimeToLiveSeconds: 30,
            deadLetteringOnMessageExpiration: false,
            filter: { applicationProperties: { a: 1 } },
          },
        ],
      },
    ],
  });
});

it('names the path of what is wrong', () => {
  expect(() => parseTopology({ queues: [{ name: 'q', maxDeliveryCount: 0 }] })).toThrow(
    'topology.queues[0].maxDeliveryCount must be a whole number of at least 1'
  );
  expect(() => parseTopology({ topics: [{ name: 't', subscriptions: [{}] }] })).toThrow(
    'topology.topics[0].subscriptions[0].name must be a non-empty string'
  );
  expect(() =>
    parseTopology({
      topics: [{ name: 't', subscriptions: [{ name: 's', filter: { applicationProperties: { a: {} } } }] }],
    })
  ).toThrow(
    'topology.topics[0].subscriptions[0].filter.applicationProperties.a must be a string, number or boolean'
  );
  expect(() => parseTopology({ queues: [{ name: 'Same' }], topics: [{ name: 'same' }] })).toThrow(
    'topology: "same" is named twice'
  );
});

it('ships a default topology with the business-events topic and the order intake queue', () => {
  const topology = readTopology(defaultTopologyPath());
  expect(topology.topics.map((t) => [t.name, t.subscriptions.map((s) => s.name)])).toEqual([
    ['business-events', ['all']],
  ]);
  expect(topology.queues.map((q) => q.name)).toEqual(['order-intake-sb']);
});
