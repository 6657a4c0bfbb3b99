import type { TopologyDocument } from '@lab/model';

/**
 * The first-run example: an async chain through Kafka (shop -> orders -> billing -> invoices -> mailer) and
 * a sync REST chain (checkout -> payments -> fraud check), side by side, so the first experiment — kill a
 * service in each — shows isolation against cascade.
 */
export const EXAMPLE_TOPOLOGY: TopologyDocument = {
  version: 1,
  name: 'Orders: async and REST',
  nodes: [
    { id: 'shop', kind: 'source', label: 'Web shop', ratePerSec: 20, position: { x: 0, y: 30 } },
    { id: 'orders', kind: 'topic', label: 'orders', partitions: 3, position: { x: 230, y: 20 } },
    { id: 'billing', kind: 'service', label: 'Billing', instances: 2, processingMs: 20, position: { x: 450, y: 10 } },
    { id: 'invoices', kind: 'topic', label: 'invoices', partitions: 3, position: { x: 700, y: 20 } },
    { id: 'mailer', kind: 'service', label: 'Mailer', instances: 1, processingMs: 40, position: { x: 920, y: 10 } },
    { id: 'checkout', kind: 'source', label: 'Checkout', ratePerSec: 10, position: { x: 0, y: 250 } },
    {
      id: 'payments',
      kind: 'service',
      label: 'Payments',
      instances: 1,
      processingMs: 30,
      position: { x: 220, y: 280 },
    },
    {
      id: 'fraud',
      kind: 'service',
      label: 'Fraud check',
      instances: 1,
      processingMs: 50,
      position: { x: 480, y: 280 },
    },
  ],
  links: [
    { id: 'shop-orders', kind: 'produce', from: 'shop', to: 'orders' },
    { id: 'orders-billing', kind: 'consume', from: 'orders', to: 'billing' },
    { id: 'billing-invoices', kind: 'produce', from: 'billing', to: 'invoices' },
    { id: 'invoices-mailer', kind: 'consume', from: 'invoices', to: 'mailer' },
    { id: 'checkout-payments', kind: 'call', from: 'checkout', to: 'payments', timeoutMs: 1000 },
    { id: 'payments-fraud', kind: 'call', from: 'payments', to: 'fraud', timeoutMs: 500 },
  ],
};
