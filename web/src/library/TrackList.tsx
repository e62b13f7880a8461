import { services } from '../app/services';
import type { TrackSummary } from '../shared/api/tonearm';
import { useObservable } from '../shared/useObservable';
import { TrackRow } from './TrackRow';

/** Tracks that play as one list: tapping one queues them all from there. */
export function TrackList({ tracks, numbered, showAlbum }: { tracks: TrackSummary[]; numbered: boolean; showAlbum: boolean }) {
  const queue = useObservable(services.player.queue);
  const playingId = queue.entries[queue.current]?.track.id;
  return (
    <ol class="track-list">
      {tracks.map((track, index) => (
        <TrackRow
          key={`${track.id}-${index}`}
          track={track}
          position={numbered ? (track.track_number ?? index + 1) : null}
          showAlbum={showAlbum}
          playing={track.id === playingId}
          onPlay={() => services.player.playTracks(tracks, index)}
        />
      ))}
    </ol>
  );
}
