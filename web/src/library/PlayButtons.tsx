import type { ComponentChildren } from 'preact';
import { Icon } from '../shared/ui/icons';

/** Play and Shuffle for a whole album, artist or playlist, with room for a like button or menu beside them. */
export function PlayButtons({ label, onPlay, onShuffle, disabled, children }: { label: string; onPlay: () => void; onShuffle: () => void; disabled?: boolean; children?: ComponentChildren }) {
  return (
    <div class="play-buttons">
      {children}
      <button type="button" class="button secondary" onClick={onShuffle} disabled={disabled} aria-label={`Shuffle ${label}`}>
        <Icon name="shuffle" /> Shuffle
      </button>
      <button type="button" class="button primary" onClick={onPlay} disabled={disabled} aria-label={`Play ${label}`}>
        <Icon name="play" /> Play
      </button>
    </div>
  );
}
