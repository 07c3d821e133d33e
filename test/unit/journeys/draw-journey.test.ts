import { drawJourney } from '../../../shared/domain/journeys/draw-journey';
import { condition, exit, journeyOf, splitter, step } from './interpreter-fixtures';

describe('drawJourney', () => {
  it('draws nodes by kind and one labelled arrow per event from raiser to listener', () => {
    const journey = journeyOf([
      step('Validate "header"', ['New Order'], { action: 'validateOrderHeader', successEvent: 'Valid' }),
      condition('Big?', 'Valid', 'Big', 'Small'),
      splitter('Split', 'Big', ['Ship', 'Mail']),
      step('Ship', ['Ship', 'Small'], {
        action: 'sendToFulfillment',
        successEvent: 'Shipped',
        failureEvent: 'Nobody hears this',
        wait: { event: 'Shipment', timeoutSeconds: 60 },
      }),
      step('Mail', ['Mail'], { action: 'sendEmail' }),
      exit('Done', ['Shipped']),
    ]);
    expect(drawJourney(journey)).toBe(
      [
        'flowchart TD',
        '  start(("New Order"))',
        '  n0["Validate #quot;header#quot;<br/>validateOrderHeader"]',
        '  n1{"Big?"}',
        '  n2[["Split"]]',
        '  n3["Ship<br/>sendToFulfillment, waits for Shipment"]',
        '  n4["Mail<br/>sendEmail"]',
        '  n5(["Done"])',
        '  start -->|"New Order"| n0',
        '  n0 -->|"Valid"| n1',
        '  n1 -->|"Big"| n2',
        '  n1 -->|"Small"| n3',
        '  n2 -->|"Ship"| n3',
        '  n2 -->|"Mail"| n4',
        '  n3 -->|"Shipped"| n5',
        '',
      ].join('\n')
    );
  });

  it('draws a journey whose start event nobody hears as the start node alone', () => {
    expect(drawJourney(journeyOf([exit('Done', ['Never'])]))).toBe(
      'flowchart TD\n  start(("New Order"))\n  n0(["Done"])\n'
    );
  });
});
