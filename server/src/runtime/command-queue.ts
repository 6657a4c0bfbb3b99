/**
 * Runs the commands that change a run one at a time, in order, so a run, a stop, an edit and a crash never
 * interleave half-way. A command that fails does not stop the ones queued after it.
 *
 * Not reentrant: a command must not queue another and wait for it (it would wait for itself). Collaborators
 * therefore expose plain methods, and only the Runtime facade queues them.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(command: () => Promise<T>): Promise<T> {
    const next = this.tail.then(command, command);
    this.tail = next.catch(() => {});
    return next;
  }
}
