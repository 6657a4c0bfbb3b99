import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { RecordingHeader, RecordingInfo } from '@lab/model';

/** A recording's id: its start time and a random tail, safe in a file name and a URL. */
export const RECORDING_ID = /^[0-9TZ]{16}-[0-9a-f]{6}$/;

/**
 * The recordings on disk, in `<dataDir>/recordings`: the one being written as `<id>.ndjson`, finished ones
 * gzipped as `<id>.ndjson.gz` beside `<id>.json` (what the list shows). At most `keep` finished recordings are
 * kept: the oldest go first.
 */
export class RecordingStore {
  private readonly finished = new Map<string, RecordingInfo>();

  constructor(
    readonly dir: string,
    private readonly keep: number,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      try {
        const info = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordingInfo;
        if (RECORDING_ID.test(info.id) && existsSync(this.gzPath(info.id))) this.finished.set(info.id, info);
      } catch {
        // A damaged index file: its recording is left out of the list, not the server's start.
      }
    }
  }

  rawPath(id: string): string {
    return join(this.dir, `${id}.ndjson`);
  }

  private gzPath(id: string): string {
    return join(this.dir, `${id}.ndjson.gz`);
  }

  list(): RecordingInfo[] {
    return [...this.finished.values()];
  }

  info(id: string): RecordingInfo | undefined {
    return this.finished.get(id);
  }

  /** A finished recording's NDJSON text, uncompressed as it streams. */
  open(id: string): Readable | undefined {
    if (!this.finished.has(id)) return undefined;
    return createReadStream(this.gzPath(id)).pipe(createGunzip());
  }

  /** Compresses a finished raw recording, lists it, and drops the oldest beyond `keep`. */
  async finish(info: RecordingInfo): Promise<void> {
    const raw = this.rawPath(info.id);
    const gz = this.gzPath(info.id);
    await pipeline(createReadStream(raw), createGzip(), createWriteStream(`${gz}.tmp`));
    await rename(`${gz}.tmp`, gz);
    await writeFile(join(this.dir, `${info.id}.json`), JSON.stringify(info));
    await rm(raw, { force: true });
    this.finished.set(info.id, info);
    const oldest = [...this.finished.values()].sort((a, b) => a.startedAt - b.startedAt);
    for (const old of oldest.slice(0, Math.max(0, oldest.length - this.keep))) this.remove(old.id);
  }

  /**
   * Raw recordings a stopped server left behind (it was killed mid-run): finished from what they hold, so a
   * crash loses at most the last unwritten line.
   */
  async recover(): Promise<void> {
    for (const file of readdirSync(this.dir)) {
      const id = file.replace(/\.ndjson$/, '');
      if (id === file || !RECORDING_ID.test(id)) continue;
      const info = summarise(await readFile(this.rawPath(id), 'utf8'));
      if (info) await this.finish(info);
      else rmSync(this.rawPath(id), { force: true });
    }
  }

  private remove(id: string) {
    this.finished.delete(id);
    for (const path of [this.gzPath(id), join(this.dir, `${id}.json`)]) rmSync(path, { force: true });
  }
}

/** A raw recording's list entry, read from its lines; undefined when not even the header is whole. */
export function summarise(text: string): RecordingInfo | undefined {
  const lines = text.split('\n').filter((line) => line.length > 0);
  let header: RecordingHeader;
  try {
    header = JSON.parse(lines[0] ?? '') as RecordingHeader;
  } catch {
    return undefined;
  }
  if (header.type !== 'recording' || !RECORDING_ID.test(header.id)) return undefined;
  let last = 0;
  let truncated = false;
  for (const line of lines.slice(1)) {
    try {
      const record = JSON.parse(line) as { t: number; truncated?: string };
      last = record.t;
      if (record.truncated) truncated = true;
    } catch {
      // The line being written when the server stopped: everything before it is kept.
    }
  }
  return {
    id: header.id,
    name: header.name,
    ...(header.labId ? { labId: header.labId } : {}),
    startedAt: header.startedAt,
    durationMs: last,
    bytes: Buffer.byteLength(text),
    live: false,
    ...(truncated ? { truncated } : {}),
  };
}
