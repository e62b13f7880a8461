/** What the search field shows for the text typed last. */
export type SearchState<Results> =
  | { status: 'idle' }
  | { status: 'loading'; text: string }
  | { status: 'ready'; text: string; results: Results }
  | { status: 'failed'; text: string; error: unknown };

export interface AsYouTypeOptions<Results> {
  search: (text: string, signal: AbortSignal) => Promise<Results>;
  onChange: (state: SearchState<Results>) => void;
  /** Quiet time after the last keystroke before asking the server. */
  delayMs: number;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

/**
 * Search as you type: waits for a pause in typing (one request per word, not per letter),
 * cancels a request the moment newer text makes it stale (so a slow answer for "kitc"
 * never replaces the one for "kitchen"), and never shows an answer for older text.
 */
export class SearchAsYouType<Results> {
  private timer: unknown = null;
  private inFlight: AbortController | null = null;
  private latest = '';

  constructor(private readonly options: AsYouTypeOptions<Results>) {}

  input(raw: string): void {
    const text = raw.trim();
    if (text === this.latest) return;
    this.latest = text;
    this.cancel();
    if (!text) {
      this.options.onChange({ status: 'idle' });
      return;
    }
    this.options.onChange({ status: 'loading', text });
    this.timer = this.options.setTimer(() => {
      this.timer = null;
      void this.run(text);
    }, this.options.delayMs);
  }

  /** Asks again for the current text (after a failure). */
  retry(): void {
    const text = this.latest;
    this.latest = '';
    this.input(text);
  }

  dispose(): void {
    this.cancel();
  }

  private async run(text: string): Promise<void> {
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const results = await this.options.search(text, controller.signal);
      if (!controller.signal.aborted) this.options.onChange({ status: 'ready', text, results });
    } catch (error) {
      if (!controller.signal.aborted) this.options.onChange({ status: 'failed', text, error });
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }

  private cancel(): void {
    if (this.timer !== null) {
      this.options.clearTimer(this.timer);
      this.timer = null;
    }
    this.inFlight?.abort();
    this.inFlight = null;
  }
}
