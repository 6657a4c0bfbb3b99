import { EventEmitter } from 'node:events';
import type { KafkaState } from '@lab/model';

/**
 * Kafka's state as the app sees it, set by the test: "up" at `brokers` unless told otherwise. The app is never
 * told otherwise by a real broker: a lab's runtime talks to whatever brokers it was given.
 */
export class FakeKafka extends EventEmitter {
  state: KafkaState;

  constructor(brokers = ['127.0.0.1:9092']) {
    super();
    this.state = { status: 'up', brokers, managed: true };
  }

  set(state: KafkaState) {
    this.state = state;
    this.emit('change', state);
  }
}
