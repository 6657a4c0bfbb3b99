import { existsSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EMPTY_TOPOLOGY, type Topology } from '@lab/model';
import { validateDocument } from './schemas/validate.js';

/**
 * The saved topology: one JSON file in the data dir, replaced atomically (write a temporary file, flush it to
 * disk, rename over the old one), so a crash mid-save leaves the old document or the new one, never half.
 * Saved compactly and with asynchronous I/O, one save at a time: the event loop keeps answering while the
 * disk works, and two saves never write the same temporary file.
 */
export class TopologyStore {
  readonly path: string;
  private saving: Promise<unknown> = Promise.resolve();
  private count = 0;

  constructor(
    dataDir: string,
    private readonly topicPrefix: string,
  ) {
    this.path = join(dataDir, 'topology.json');
  }

  /** The saved topology; a file that no longer validates is kept aside and an empty topology used instead. */
  load(): { topology: Topology; warning?: string } {
    if (!existsSync(this.path)) return { topology: EMPTY_TOPOLOGY };
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      return this.setAside(`is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const result = validateDocument(parsed, this.topicPrefix);
    if (!result.ok) return this.setAside(`does not validate (${result.problems[0]?.error})`);
    return { topology: result.topology };
  }

  /** Resolves once the document is on disk; rejects (and leaves the old file) when it could not be written. */
  save(topology: Topology): Promise<void> {
    const text = `${JSON.stringify(topology)}\n`;
    const next = this.saving.then(
      () => this.write(text),
      () => this.write(text),
    );
    this.saving = next.catch(() => {});
    return next;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.${++this.count}.tmp`;
    try {
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  private setAside(why: string): { topology: Topology; warning: string } {
    const aside = `${this.path}.broken-${Date.now()}`;
    renameSync(this.path, aside);
    return {
      topology: EMPTY_TOPOLOGY,
      warning: `The saved topology ${why}; it was moved to ${aside} and the lab starts empty.`,
    };
  }
}
