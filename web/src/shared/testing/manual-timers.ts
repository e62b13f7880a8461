/** Timers a unit test fires by hand, remembering the delay each was set for. */
export class ManualTimers {
  pending: { callback: () => void; ms: number }[] = [];

  set = (callback: () => void, ms: number): unknown => {
    const timer = { callback, ms };
    this.pending.push(timer);
    return timer;
  };

  clear = (handle: unknown): void => {
    this.pending = this.pending.filter((timer) => timer !== handle);
  };

  /** Fires the earliest timer; returns the delay it was set for. */
  fireNext(): number {
    const timer = this.pending.shift();
    if (!timer) throw new Error('no timer pending');
    timer.callback();
    return timer.ms;
  }

  fireAll(): void {
    const due = this.pending;
    this.pending = [];
    due.forEach((timer) => timer.callback());
  }
}
