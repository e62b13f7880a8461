import { useServices } from '../../app/services-context';
import type { PlayOrigin } from '../../player/player';
import type { TrackSummary } from '../../shared/api/tonearm';
import { useObservable } from '../../shared/useObservable';
import { TrackRow } from './TrackRow';

/** Tracks that play as one list: tapping one queues them all from there. */
export function TrackList({ tracks, numbered, showAlbum, origin, label, notes }: { tracks: TrackSummary[]; numbered: boolean; showAlbum: boolean; origin: PlayOrigin; label?: string; notes?: string[] }) {
  const { player } = useServices();
  const queue = useObservable(player.queue);
  const playingId = queue.entries[queue.current]?.track.id;
  return (
    <ol class="track-list" aria-label={label}>
      {tracks.map((track, index) => (
        <TrackRow
          key={`${track.id}-${index}`}
          track={track}
          position={numbered ? (track.track_number ?? index + 1) : null}
          showAlbum={showAlbum}
          playing={track.id === playingId}
          origin={origin}
          note={notes?.[index]}
          onPlay={() => player.playTracks(tracks, index, origin)}
        />
      ))}
    </ol>
  );
}
