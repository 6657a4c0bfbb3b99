import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, InstanceSpec, ToWorker } from './messages.js';
import { ServiceInstance } from './worker/service.js';
import { SourceInstance } from './worker/source.js';
import { StatsCollector } from './worker/stats.js';

/**
 * The entry of one instance's worker thread: its own event loop, Kafka connections and HTTP listener, so a
 * crash (the main thread terminating this worker) is abrupt: no LeaveGroup, no final commit.
 */
const STATS_INTERVAL_MS = 100;
/**
 * Work done (an event handled, failed or sent) is reported within this long rather than at the next tick:
 * it bounds the first hop of event-to-screen latency; an idle instance still reports every tick.
 */
const NEWS_WITHIN_MS = 25;

const port = parentPort;
if (!port) throw new Error('instance-worker must run as a worker thread');
const post = (message: FromWorker) => port.postMessage(message);

const spec = workerData as InstanceSpec;
const stats = new StatsCollector((outcomes, dropped) => post({ type: 'outcomes', outcomes, dropped }));
const instance =
  spec.node.kind === 'source' ? new SourceInstance(spec, stats, post) : new ServiceInstance(spec, stats, post);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'spec':
      instance.setSpec(message.spec);
      break;
    case 'faults':
      if (instance instanceof ServiceInstance) instance.setFaults(message.faults);
      break;
    case 'endpoints':
      instance.setEndpoints(message.endpoints);
      break;
    case 'rate':
      if (instance instanceof SourceInstance) instance.setRate(message.perSecond);
      break;
    case 'poison':
      if (instance instanceof SourceInstance) instance.poisonNext();
      break;
    case 'seen':
      if (instance instanceof ServiceInstance) instance.answerSeen(message.ask, message.seen);
      break;
    case 'stop':
      clearInterval(ticker);
      void instance
        .stop()
        .catch(() => {})
        .finally(() => {
          post(stats.take());
          post({ type: 'stopped' });
          process.exit(0);
        });
      break;
  }
});

let lastPost = 0;
const ticker = setInterval(() => {
  const now = Date.now();
  if (!stats.hasNews() && now - lastPost < STATS_INTERVAL_MS) return;
  lastPost = now;
  post(stats.take());
}, NEWS_WITHIN_MS);

instance
  .start()
  .then((url) => post({ type: 'ready', url: url ?? undefined }))
  .catch((err: unknown) => {
    post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  });

process.on('unhandledRejection', (err) => post({ type: 'log', level: 'error', kind: 'error', message: String(err) }));
