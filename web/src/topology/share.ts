/**
 * A share link carries the whole topology in the URL's hash (never sent to any server): JSON, deflated, in
 * base64url. Deflate keeps a workshop-sized topology to a link that chat apps and QR codes still accept.
 */
const HASH_KEY = 'topology';

export async function encodeShare(doc: unknown): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream('deflate-raw'));
  return toBase64Url(packed);
}

/** The document inside a share link's payload; throws when the payload is damaged. */
export async function decodeShare(encoded: string): Promise<unknown> {
  const json = await pipe(fromBase64Url(encoded), new DecompressionStream('deflate-raw'));
  return JSON.parse(new TextDecoder().decode(json));
}

/** The page's address with the topology in its hash, and without an access token (which must never travel). */
export function shareUrl(pageUrl: string, encoded: string): string {
  const url = new URL(pageUrl);
  url.searchParams.delete('token');
  url.hash = '';
  return `${url.href.replace(/#$/, '')}#${HASH_KEY}=${encoded}`;
}

/** The payload of a share link's hash (`#topology=…`), if the hash is one. */
export function sharedPayload(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(HASH_KEY) ?? undefined;
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
