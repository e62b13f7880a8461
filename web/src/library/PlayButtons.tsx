import { Icon } from '../shared/ui/icons';

export function PlayButtons({ label, onPlay, onShuffle, disabled }: { label: string; onPlay: () => void; onShuffle: () => void; disabled?: boolean }) {
  return (
    <div class="play-buttons">
      <button type="button" class="button primary" onClick={onPlay} disabled={disabled} aria-label={`Play ${label}`}>
        <Icon name="play" /> Play
      </button>
      <button type="button" class="button secondary" onClick={onShuffle} disabled={disabled} aria-label={`Shuffle ${label}`}>
        <Icon name="shuffle" /> Shuffle
      </button>
    </div>
  );
}
