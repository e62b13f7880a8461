import type { PlayContext, RadioPage, RadioSeed, TonearmApi, TrackSummary } from '../shared/api/tonearm';
import { Observable } from '../shared/observable';
import type { Player, QueuedTrack } from './player';

/** The queue is extended once fewer than this many tracks are left after the current one. */
export const REFILL_BELOW = 3;
/** Tracks asked for per page: a page lasts over an hour, and the first one comes quickly. */
export const PAGE_SIZE = 25;
/**
 * A page may hold nothing new (every track of it already queued): the next one is asked for
 * at once, this many times at most, so a refill never loops on a small catalog.
 */
const PAGES_PER_REFILL = 3;
const CONTEXT_PREFIX = 'radio:';

/** A radio that plays: what it grew from, and its title ("Oak and Ember Radio"). */
export interface Station {
  seed: RadioSeed;
  title: string;
}

type RadioPlayer = Pick<Player, 'queue' | 'playTracks' | 'addToQueue' | 'jumpTo'>;

/** The play context of a radio's tracks: the listening history tells radio plays apart by it. */
export function radioContext(seed: RadioSeed): PlayContext {
  return { kind: 'recommendation', id: `${CONTEXT_PREFIX}${seed}` };
}

/** The seed of the radio a queued track came from, if it came from one. */
export function radioSeedOf(track: QueuedTrack | undefined): RadioSeed | null {
  const id = track?.context?.kind === 'recommendation' ? track.context.id : null;
  return id?.startsWith(CONTEXT_PREFIX) ? (id.slice(CONTEXT_PREFIX.length) as RadioSeed) : null;
}

/**
 * An endless queue from a seed (a track, album, artist or playlist): the first page of
 * `GET /api/v1/radio` becomes the queue, and whenever the queue runs low while the radio's
 * tracks play, the next page is appended, one request at a time. The seed track and tracks
 * already queued are never added. The radio is over once none of its tracks is left to play.
 */
export class Radio {
  /** The radio whose track plays now, or null. */
  readonly station = new Observable<Station | null>(null);
  /** Where the next page starts (the last page's `next_offset`). */
  private nextOffset = 0;
  /** The refill under way: a second one waits for it instead of asking again. */
  private refill: Promise<void> | null = null;
  /** Answers meant for a radio that was stopped or replaced since are dropped. */
  private generation = 0;
  /** The radio's own changes to the queue: they neither stop it nor ask for more. */
  private applying = false;

  constructor(
    private readonly api: Pick<TonearmApi, 'radio'>,
    private readonly player: RadioPlayer,
  ) {
    this.adoptRestored();
    player.queue.subscribe(() => this.onQueueChanged());
  }

  /**
   * Starts a radio from `seed`. By default it replaces the queue (the listener chose it);
   * `continueQueue` appends it and plays on from the end of what was queued (Autoplay).
   * Rejects when the first page cannot be had; the queue is then as it was.
   */
  async start(seed: RadioSeed, options: { continueQueue?: boolean } = {}): Promise<Station> {
    const generation = ++this.generation;
    this.refill = null;
    const page = await this.api.radio(seed, 0, PAGE_SIZE);
    const station: Station = { seed, title: page.title };
    if (generation !== this.generation) return station; // another radio started meanwhile
    this.nextOffset = page.next_offset;
    const queued = options.continueQueue ? this.queuedIds() : new Set<number>();
    const tracks = this.freshTracks(page, seed, queued);
    if (tracks.length === 0) throw new Error('The radio has nothing to play yet.');
    this.station.set(station);
    const origin = { context: radioContext(seed), from: page.title };
    this.apply(() => {
      if (!options.continueQueue) {
        this.player.playTracks(tracks, 0, origin);
        return;
      }
      const first = this.player.queue.value.entries.length;
      this.player.addToQueue(tracks, origin);
      this.player.jumpTo(first);
    });
    return station;
  }

  /** Stops extending the queue (what is queued stays). */
  stop(): void {
    this.generation++;
    this.refill = null;
    this.station.set(null);
  }

  /**
   * Extends the queue with the next page(s); concurrent calls share one request. Resolves
   * when done, also after a failure (the next change of track tries again).
   */
  extend(): Promise<void> {
    const station = this.station.value;
    if (!station) return Promise.resolve();
    if (this.refill) return this.refill;
    const generation = this.generation;
    const refill = this.fetchMore(station, generation)
      .catch(() => undefined)
      .finally(() => {
        if (this.refill === refill) this.refill = null;
      });
    this.refill = refill;
    return refill;
  }

  private async fetchMore(station: Station, generation: number): Promise<void> {
    for (let page = 0; page < PAGES_PER_REFILL; page++) {
      const answer = await this.api.radio(station.seed, this.nextOffset, PAGE_SIZE);
      if (generation !== this.generation) return;
      this.nextOffset = answer.next_offset;
      const tracks = this.freshTracks(answer, station.seed, this.queuedIds());
      if (tracks.length > 0) {
        this.apply(() => this.player.addToQueue(tracks, { context: radioContext(station.seed), from: station.title }));
        return;
      }
    }
  }

  private onQueueChanged(): void {
    if (this.applying || !this.station.value) return;
    const queue = this.player.queue.value;
    const seed = this.station.value.seed;
    // Nothing of the radio is left to play (the listener played something else, or signed
    // out): it is over. A track put in with "Play next" plays within it, as on Spotify.
    if (!queue.entries.slice(Math.max(0, queue.current)).some((entry) => radioSeedOf(entry.track) === seed)) {
      this.stop();
      return;
    }
    if (queue.entries.length - 1 - queue.current < REFILL_BELOW) void this.extend();
  }

  /** A queue restored after a reload that plays a radio goes on growing. */
  private adoptRestored(): void {
    const queue = this.player.queue.value;
    const current = queue.entries[queue.current]?.track;
    const seed = radioSeedOf(current);
    if (!seed || !current) return;
    this.station.set({ seed, title: current.from ?? 'Radio' });
    // Where the saved radio stopped is not kept: its length is a fair guess, and tracks
    // already queued are left out anyway.
    this.nextOffset = queue.entries.filter((entry) => radioSeedOf(entry.track) === seed).length;
  }

  private apply(change: () => void): void {
    this.applying = true;
    try {
      change();
    } finally {
      this.applying = false;
    }
  }

  private queuedIds(): Set<number> {
    return new Set(this.player.queue.value.entries.map((entry) => entry.track.id));
  }

  /** The page's tracks less the seed, those already queued, and repeats within the page. */
  private freshTracks(page: RadioPage, seed: RadioSeed, queued: Set<number>): TrackSummary[] {
    const seen = new Set(queued);
    const seedTrack = seed.startsWith('track:') ? Number(seed.slice('track:'.length)) : null;
    if (seedTrack !== null) seen.add(seedTrack);
    const fresh: TrackSummary[] = [];
    for (const { track } of page.items) {
      if (seen.has(track.id)) continue;
      seen.add(track.id);
      fresh.push(track);
    }
    return fresh;
  }
}
