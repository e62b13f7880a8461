import { useState } from 'preact/hooks';
import { useServices } from '../app/services-context';
import { formatDuration } from '../shared/format';
import { useObservable } from '../shared/useObservable';

/** Position and length, draggable; seeks once the drag ends so playback does not stutter. */
export function SeekBar() {
  const { player } = useServices();
  const progress = useObservable(player.progress);
  const [dragging, setDragging] = useState<number | null>(null);
  const position = dragging ?? progress.position;
  const duration = Math.max(progress.duration, 0);
  return (
    <div class="seek-bar">
      <input
        type="range"
        min={0}
        max={duration || 1}
        step={0.1}
        value={Math.min(position, duration || 1)}
        aria-label="Seek"
        aria-valuetext={`${formatDuration(position)} of ${formatDuration(duration)}`}
        onInput={(event) => setDragging(Number((event.target as HTMLInputElement).value))}
        onChange={(event) => {
          player.seek(Number((event.target as HTMLInputElement).value));
          setDragging(null);
        }}
        style={{ '--progress': `${duration > 0 ? (position / duration) * 100 : 0}%` }}
      />
      <div class="seek-times">
        <span>{formatDuration(position)}</span>
        <span>{formatDuration(duration)}</span>
      </div>
    </div>
  );
}
