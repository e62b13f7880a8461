import { Observable } from '../shared/observable';

export interface ConnectionDependencies {
  online: boolean;
  /** Whether the server answers now (its health check). */
  probe: () => Promise<boolean>;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

/** While the server cannot be reached it is asked again after 2 s, doubling up to 30 s (and at once when the browser says it is back online). */
const FIRST_PROBE_MS = 2_000;
const LONGEST_PROBE_MS = 30_000;

/**
 * Whether the server can be reached: the browser's opinion, corrected by real requests,
 * and found out again while it cannot (nothing else may ask meanwhile). `returns` counts the
 * times it answered again after a failure, so that what was loaded before, or failed to
 * load, is loaded afresh: the screen on display and the app's in-memory caches.
 */
export class Connection {
  readonly online: Observable<boolean>;
  readonly returns = new Observable(0);
  private probeTimer: unknown = null;
  private nextProbeMs = FIRST_PROBE_MS;
  private probing = false;

  constructor(private readonly deps: ConnectionDependencies) {
    this.online = new Observable(deps.online);
    if (!deps.online) this.scheduleProbe();
  }

  /** A request reached the server, or could not. */
  reached(reachable: boolean): void {
    if (reachable === this.online.value) return;
    this.online.set(reachable);
    if (reachable) {
      this.cancelProbe();
      this.nextProbeMs = FIRST_PROBE_MS;
      this.returns.update((count) => count + 1);
    } else {
      this.scheduleProbe();
    }
  }

  /** The browser's `online` event: it has a network again; whether the server answers is asked at once. */
  browserOnline(): void {
    this.cancelProbe();
    void this.probeNow();
  }

  browserOffline(): void {
    this.reached(false);
  }

  private scheduleProbe(): void {
    if (this.probeTimer !== null) return;
    this.probeTimer = this.deps.setTimer(() => {
      this.probeTimer = null;
      void this.probeNow();
    }, this.nextProbeMs);
    this.nextProbeMs = Math.min(LONGEST_PROBE_MS, this.nextProbeMs * 2);
  }

  private cancelProbe(): void {
    if (this.probeTimer === null) return;
    this.deps.clearTimer(this.probeTimer);
    this.probeTimer = null;
  }

  private async probeNow(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    const answered = await this.deps.probe().catch(() => false);
    this.probing = false;
    if (answered) this.reached(true);
    else if (!this.online.value) this.scheduleProbe();
    else this.reached(false);
  }
}

/** The server's health check, past every cache. */
export async function probeServer(fetcher: typeof fetch): Promise<boolean> {
  const response = await fetcher('/healthz', { cache: 'no-store' });
  return response.ok;
}
