import { EventEmitter } from 'node:events';
import type { KafkaState } from '@lab/model';

/** Kafka's state as the app sees it, set by the test: "up" unless told otherwise, never reached. */
export class FakeKafka extends EventEmitter {
  state: KafkaState = { status: 'up', brokers: ['127.0.0.1:9092'], managed: true };

  set(state: KafkaState) {
    this.state = state;
    this.emit('change', state);
  }
}
