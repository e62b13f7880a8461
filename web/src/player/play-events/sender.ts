import { ApiError } from '../../shared/api/errors';
import type { PlayEvent, RecordedEvents } from '../../shared/api/tonearm';
import type { PendingEventStore } from './pending-store';

export interface SenderOptions {
  store: PendingEventStore;
  /** Posts one batch; resolves when the server has it on disk. */
  send: (events: PlayEvent[], options: { keepalive: boolean }) => Promise<RecordedEvents>;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  random?: () => number;
  /** Events per request (the server takes up to 500). */
  batchSize?: number;
  /** How long a new event waits for others to share its request. */
  gatherMs?: number;
  /** Back-off after a failed delivery: full jitter up to base·2^failures, capped. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/**
 * Delivers play events in batches, at least once: each event is written to the store
 * before anything else happens and removed only when the server acknowledged it, so a
 * closed tab or a dropped network loses nothing; the server counts an event sent twice once
 * (the ids are the client's). Failed deliveries are retried with exponential back-off and
 * full jitter; one delivery runs at a time.
 */
export class PlayEventSender {
  private readonly batchSize: number;
  private readonly gatherMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private timer: unknown = null;
  private delivering: Promise<void> | null = null;
  /** Consecutive failed deliveries: the back-off grows with them. */
  private failures = 0;
  /** Events being written: a delivery waits for them, so a flush right after `record` includes them. */
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly options: SenderOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.gatherMs = options.gatherMs ?? 5_000;
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    this.retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
    this.random = options.random ?? Math.random;
  }

  /** Keeps the event (durably) and schedules its delivery. */
  async record(event: PlayEvent): Promise<void> {
    const write = this.options.store.add(event);
    this.writes.add(write);
    try {
      await write;
    } finally {
      this.writes.delete(write);
    }
    if (this.failures === 0) this.schedule(this.gatherMs);
  }

  /** Delivers everything pending now (after a reconnect, when the tab is hidden, at sign-out). */
  flush(options: { keepalive?: boolean } = {}): Promise<void> {
    this.cancelTimer();
    this.delivering ??= this.deliver(options.keepalive ?? false).finally(() => (this.delivering = null));
    return this.delivering;
  }

  /** Forgets every pending event (the listener signed out: they must not go out as someone else). */
  async discard(): Promise<void> {
    this.cancelTimer();
    await this.delivering;
    this.failures = 0;
    await this.options.store.clear();
  }

  private async deliver(keepalive: boolean): Promise<void> {
    await Promise.allSettled([...this.writes]);
    for (;;) {
      const batch = await this.options.store.oldest(this.batchSize);
      if (batch.length === 0) {
        this.failures = 0;
        return;
      }
      try {
        await this.options.send(
          batch.map((pending) => pending.event),
          { keepalive },
        );
      } catch (error) {
        if (!isPermanent(error)) {
          this.failures += 1;
          this.schedule(this.backoff());
          return;
        }
        // The server will never take these (a client bug wrote them): keeping them would
        // block every later event behind them.
        console.warn('play events refused by the server and dropped', error);
      }
      // Acknowledged, including events about tracks that no longer exist (the server says
      // not to send those again).
      await this.options.store.remove(batch.map((pending) => pending.key));
      this.failures = 0;
    }
  }

  private backoff(): number {
    const ceiling = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (this.failures - 1));
    return Math.floor(this.random() * ceiling);
  }

  private schedule(ms: number): void {
    if (this.timer !== null) return;
    this.timer = this.options.setTimer(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.options.clearTimer(this.timer);
    this.timer = null;
  }
}

/** `400`: the batch itself is wrong, and sending it again cannot help. */
function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400;
}
