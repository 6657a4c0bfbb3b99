import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EMPTY_TOPOLOGY, type Topology } from '@lab/model';
import { validateDocument } from './schemas/validate.js';

/**
 * The saved topology: one JSON file in the data dir, replaced atomically (write a temporary file, flush it to
 * disk, rename over the old one), so a crash mid-save leaves the old document or the new one, never half.
 */
export class TopologyStore {
  readonly path: string;

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

  save(topology: Topology): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${JSON.stringify(topology, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
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
