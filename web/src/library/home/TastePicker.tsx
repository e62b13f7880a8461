import { useState } from 'preact/hooks';
import { useServices } from '../../app/services-context';
import { ApiError } from '../../shared/api/errors';
import type { ArtistSummary } from '../../shared/api/tonearm';
import { Cover } from '../../shared/ui/Cover';
import { Icon } from '../../shared/ui/icons';

/** Enough taste to go on: Spotify asks for three as well. */
export const PICKS_NEEDED = 3;

/**
 * The first run's "Choose three artists you like": the picks are followed (liked), which
 * is what the recommender learns from before there is any listening. `onDone` after they
 * are saved; "Not now" hides it on this device.
 */
export function TastePicker({ artists, onDone }: { artists: ArtistSummary[]; onDone: () => void }) {
  const { likes, notices, tastePickerDismissed } = useServices();
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [saving, setSaving] = useState(false);
  const toggle = (id: number) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const done = async () => {
    setSaving(true);
    try {
      await likes.likeAll('artists', [...picked]);
      onDone();
    } catch (error) {
      notices.show(error instanceof ApiError ? error.message : "Your artists couldn't be saved. Try again.");
    } finally {
      setSaving(false);
    }
  };
  const missing = Math.max(0, PICKS_NEEDED - picked.size);
  return (
    <section class="taste-picker" aria-labelledby="taste-picker-heading">
      <h2 id="taste-picker-heading">Choose three artists you like</h2>
      <p class="hint">Your mixes and recommendations start from them.</p>
      <ul class="taste-grid">
        {artists.map((artist) => {
          const chosen = picked.has(artist.id);
          return (
            <li key={artist.id}>
              <button type="button" class={`taste-artist ${chosen ? 'is-picked' : ''}`} aria-pressed={chosen} onClick={() => toggle(artist.id)}>
                <span class="taste-circle">
                  <Cover coverId={artist.cover_id} size={128} className="round" />
                  {chosen && (
                    <span class="taste-check" aria-hidden="true">
                      <Icon name="check" size={20} />
                    </span>
                  )}
                </span>
                <span class="taste-name">{artist.name}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <div class="taste-actions">
        <button type="button" class="button secondary" onClick={() => tastePickerDismissed.set(true)}>
          Not now
        </button>
        <button type="button" class="button primary" disabled={missing > 0 || saving} onClick={() => void done()}>
          {missing > 0 ? `Pick ${missing} more` : 'Done'}
        </button>
      </div>
    </section>
  );
}
