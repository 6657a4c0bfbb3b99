import { parentPort } from 'node:worker_threads';
import type { FromHost, FromWorker, HostInspection, StatsTick, ToHost } from './messages.js';
import { HostedInstance } from './worker/hosted.js';

/**
 * The entry of one instance host thread: it runs many instances, each its own consumer-group member with its
 * own Kafka clients and connections and its own HTTP listener. Nothing an instance does blocks the thread
 * (a hang is an unopened gate, slowness a timer), so one instance's faults never delay the others here.
 * A crash is the instance's sockets cut (see HostedInstance.crash), not the thread ending.
 */

/**
 * Work done (an event handled, failed or sent) is reported within this long rather than at the next tick:
 * it bounds the first hop of event-to-screen latency. One message carries every instance's tick.
 */
const NEWS_WITHIN_MS = 25;

const port = parentPort;
if (!port) throw new Error('instance-worker must run as a worker thread');
const send = (message: FromHost) => port.postMessage(message);

const running = new Map<number, HostedInstance>();
/** Crashed instances whose code is still winding down (without any connection), until it has. */
const windingDown = new Map<number, HostedInstance>();

port.on('message', (message: ToHost) => {
  switch (message.type) {
    case 'start': {
      const { key, spec } = message;
      const instance = new HostedInstance(
        key,
        spec,
        (m: FromWorker) => send({ type: 'from', key, message: m }),
        () => exited(instance),
      );
      running.set(key, instance);
      instance.start();
      break;
    }
    case 'to':
      running.get(message.key)?.receive(message.message);
      break;
    case 'crash':
      running.get(message.key)?.crash();
      break;
    case 'inspect':
      send({ type: 'inspection', ask: message.ask, inspection: inspect() });
      break;
  }
});

function exited(instance: HostedInstance) {
  running.delete(instance.key);
  send({ type: 'exit', key: instance.key });
  const winding = instance.windingDown;
  if (!winding) return;
  windingDown.set(instance.key, instance);
  void winding.finally(() => windingDown.delete(instance.key));
}

function inspect(): HostInspection {
  const describe = (state: 'running' | 'winding-down') => (i: HostedInstance) => ({
    key: i.key,
    id: i.spec.instanceId,
    state,
    openSockets: i.guard.openSockets,
    refused: i.guard.refused,
  });
  return {
    instances: [
      ...[...running.values()].map(describe('running')),
      ...[...windingDown.values()].map(describe('winding-down')),
    ],
    resources: process.getActiveResourcesInfo(),
  };
}

setInterval(() => {
  const now = Date.now();
  const ticks: [number, StatsTick][] = [];
  for (const instance of running.values()) {
    const tick = instance.tick(now);
    if (tick) ticks.push([instance.key, tick]);
  }
  if (ticks.length) send({ type: 'stats', ticks });
}, NEWS_WITHIN_MS);

// A rejection nobody awaited is a bug of the lab's: reported, and the thread's other instances go on.
process.on('unhandledRejection', (err) => console.error('instance host: unhandled rejection:', err));
