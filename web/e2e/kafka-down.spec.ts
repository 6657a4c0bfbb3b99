import { expect, test } from '@playwright/test';
import { startServerProcess } from '../../server/test/server-process';
import { LabPage } from './pages/LabPage';

// This spec runs a lab of its own so it can break its broker and its server without disturbing the others.
test('the status bar follows the broker going down and the server coming back', async ({ page }) => {
  test.setTimeout(120_000);
  const server = startServerProcess({ KAFKA_PORT: '49092' });
  const url = await server.ready;
  try {
    const lab = new LabPage(page);
    await lab.open(url);
    await lab.expectKafka('Kafka: connected');
    await lab.expectLive('Live: connected');

    // The broker dies: the lab stays up and says so within seconds.
    const killedAt = Date.now();
    process.kill(server.brokerPid()!, 'SIGKILL');
    await lab.expectKafka('Kafka: down');
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    await lab.expectLive('Live: connected');
    await lab.screenshot('kafka-down');

    // The server goes away: the page says it is reconnecting...
    server.child.kill('SIGTERM');
    await server.exited;
    await lab.expectLive(/Live: reconnecting/);
    await lab.screenshot('live-reconnecting');

    // ...and reconnects by itself when a server comes back on the same port.
    const again = startServerProcess({ PORT: new URL(url).port, LAB_DATA_DIR: server.dataDir, KAFKA_PORT: '49092' });
    await again.ready;
    try {
      await lab.expectLive('Live: connected');
      await lab.expectKafka('Kafka: connected');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  } finally {
    server.child.kill('SIGTERM');
  }
});
