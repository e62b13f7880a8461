type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'tonearm.link-bps';
/**
 * Loads shorter than this say more about latency or a cache than about the link's speed
 * (a segment from the browser's cache takes a millisecond): not measured.
 */
const SHORTEST_SAMPLE_MS = 80;
/** Each sample's weight in the estimate: recent loads count most, one odd load does not decide. */
const SAMPLE_WEIGHT = 0.3;

/** What the browser says of the link (Network Information API, Chromium and Android only). */
export interface LinkHints {
  /** Mbit/s, rounded by the browser. */
  downlink?: number;
  saveData?: boolean;
}

/**
 * The link's speed in bit/s as the player measured it on real media loads, kept across
 * sessions (a phone mostly starts on the network it last played on), so a track starts on
 * a rendition that fits the link before a single segment has been measured. Whole
 * requests are timed, round trips and server time included: that is what a start waits for.
 */
export class BandwidthMemory {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly hints: () => LinkHints | undefined = () => undefined,
  ) {}

  /** The kept measurement, else the browser's hint, else null (unknown). */
  estimate(): number | null {
    const kept = Number(this.storage.getItem(KEY));
    if (Number.isFinite(kept) && kept > 0) return kept;
    const downlink = this.hints()?.downlink;
    return downlink !== undefined && downlink > 0 ? downlink * 1_000_000 : null;
  }

  saveData(): boolean {
    return this.hints()?.saveData === true;
  }

  /** A media load of `bytes` that took `ms` from request to last byte. */
  sample(bytes: number, ms: number): void {
    if (ms < SHORTEST_SAMPLE_MS || bytes <= 0) return;
    const measured = (bytes * 8 * 1000) / ms;
    const kept = Number(this.storage.getItem(KEY));
    const estimate = Number.isFinite(kept) && kept > 0 ? kept + SAMPLE_WEIGHT * (measured - kept) : measured;
    this.storage.setItem(KEY, String(Math.round(estimate)));
  }

  /** Sign-out: nothing of the session stays on the device, not even this. */
  forget(): void {
    this.storage.removeItem(KEY);
  }
}
