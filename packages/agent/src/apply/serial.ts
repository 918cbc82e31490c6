/**
 * Runs async tasks one after another. Applies, HAProxy restarts by the watcher and runtime
 * commands that need a stable master go through one of these so a reload never races a start.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** True while a task runs or waits. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Resolves once every task queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
