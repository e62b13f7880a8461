import type { PlayContext, PlayEvent } from '../../shared/api/tonearm';

export type EndReason = 'completed' | 'skipped' | 'error';

/** What the player tells about one play of one track. */
export interface PlayReporter {
  start(trackId: number, context: PlayContext | null): void;
  /** The element's position, while the track is loaded; only time heard while playing counts. */
  position(seconds: number, playing: boolean): void;
  /** Playback stopped for a while (pause, buffering): the next position starts afresh. */
  interrupt(): void;
  /** Writes down how much was heard so far, for a tab that may be closed any moment. */
  checkpoint(): void;
  end(reason: EndReason): void;
}

/** A `play_progress` event this often (of time heard), so a closed tab loses little. */
export const PROGRESS_EVERY_MS = 30_000;
/** A position step larger than this is a seek, not listening. */
const MAX_STEP_SECONDS = 2;

interface OpenPlay {
  trackId: number;
  context: PlayContext | null;
  msPlayed: number;
  lastPosition: number | null;
  reportedMs: number;
}

/**
 * Turns the player's facts into `play_start`, `play_progress` and `play_end` events with
 * the milliseconds actually heard: seeks and pauses do not count, so a listener who jumped
 * to the last ten seconds heard ten seconds.
 */
export class PlayTracker implements PlayReporter {
  private open: OpenPlay | null = null;

  constructor(
    private readonly record: (event: PlayEvent) => void,
    private readonly newId: () => string,
    private readonly now: () => number,
  ) {}

  start(trackId: number, context: PlayContext | null): void {
    if (this.open) this.end('skipped');
    this.open = { trackId, context, msPlayed: 0, lastPosition: null, reportedMs: 0 };
    this.emit('play_start', null);
  }

  position(seconds: number, playing: boolean): void {
    const play = this.open;
    if (!play) return;
    if (playing && play.lastPosition !== null) {
      const step = seconds - play.lastPosition;
      if (step > 0 && step <= MAX_STEP_SECONDS) play.msPlayed += Math.round(step * 1000);
    }
    play.lastPosition = playing ? seconds : null;
    if (play.msPlayed - play.reportedMs >= PROGRESS_EVERY_MS) this.checkpoint();
  }

  interrupt(): void {
    if (this.open) this.open.lastPosition = null;
  }

  checkpoint(): void {
    const play = this.open;
    if (!play || play.msPlayed === play.reportedMs) return;
    this.emit('play_progress', null);
  }

  end(reason: EndReason): void {
    if (!this.open) return;
    this.emit('play_end', reason);
    this.open = null;
  }

  private emit(kind: PlayEvent['kind'], reason: EndReason | null): void {
    const play = this.open;
    if (!play) return;
    play.reportedMs = play.msPlayed;
    this.record({
      id: this.newId(),
      kind,
      track_id: play.trackId,
      occurred_at: this.now(),
      ms_played: play.msPlayed,
      reason,
      context: play.context,
    });
  }
}
