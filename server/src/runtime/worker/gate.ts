/** A gate that holds whoever awaits it until opened: how a hung instance holds its inputs. */
export class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;
  private turnAway: ((reason: Error) => void) | undefined;
  private shutWith: Error | undefined;

  close(): void {
    if (this.release || this.shutWith) return;
    this.opened = new Promise((resolve, reject) => {
      this.release = resolve;
      this.turnAway = reject;
    });
  }

  open(): void {
    if (this.shutWith) return;
    this.release?.();
    this.release = this.turnAway = undefined;
  }

  /** For good (the instance crashed): whoever waits, and whoever comes later, is turned away with `reason`. */
  shut(reason: Error): void {
    if (this.shutWith) return;
    this.shutWith = reason;
    this.turnAway?.(reason);
    this.release = this.turnAway = undefined;
    this.opened = Promise.reject(reason);
    this.opened.catch(() => {});
  }

  wait(): Promise<void> {
    return this.opened;
  }
}

/** At most `limit` holders at once; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    while (this.active < this.limit && this.waiting.length) {
      this.active++;
      this.waiting.shift()?.();
    }
  }

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
