import { describe, expect, it } from 'vitest';
import { EXAMPLE_TOPOLOGY } from './example';
import { decodeShare, encodeShare, sharedPayload, shareUrl } from './share';

describe('share link', () => {
  it('round-trips a topology through the URL hash', async () => {
    const encoded = await encodeShare(EXAMPLE_TOPOLOGY);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = shareUrl('http://127.0.0.1:3000/?x=1#old', encoded);
    expect(url).toBe(`http://127.0.0.1:3000/?x=1#topology=${encoded}`);
    const payload = sharedPayload(new URL(url).hash);
    expect(await decodeShare(payload!)).toEqual(EXAMPLE_TOPOLOGY);
  });

  it('never carries the access token of the page it was made on', async () => {
    const url = shareUrl('http://192.0.2.1:3000/?token=s3cr3t-t0ken-value&x=1#old', 'abc');
    expect(url).toBe('http://192.0.2.1:3000/?x=1#topology=abc');
    expect(shareUrl('http://192.0.2.1:3000/?token=s3cr3t', 'abc')).toBe('http://192.0.2.1:3000/#topology=abc');
  });

  it('keeps non-ASCII labels', async () => {
    const doc = { version: 1, name: 'Bestellungen – Zürich 🚚', nodes: [], links: [] };
    expect(await decodeShare(await encodeShare(doc))).toEqual(doc);
  });

  it('is shorter than the JSON it carries', async () => {
    expect((await encodeShare(EXAMPLE_TOPOLOGY)).length).toBeLessThan(JSON.stringify(EXAMPLE_TOPOLOGY).length);
  });

  it('ignores hashes that are not share links and rejects damaged payloads', async () => {
    expect(sharedPayload('')).toBeUndefined();
    expect(sharedPayload('#section-2')).toBeUndefined();
    await expect(decodeShare('not-a-payload')).rejects.toThrow();
  });
});
