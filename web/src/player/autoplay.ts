import type { AutoplaySetting } from '../settings/autoplay-setting';
import type { PlayContext } from '../shared/api/tonearm';
import type { Player } from './player';
import type { Radio } from './radio';

/** What Autoplay continues: a whole release or list that ran out, not a search result or a radio (which never ends). */
const CONTINUED: ReadonlySet<PlayContext['kind']> = new Set(['album', 'playlist', 'artist']);

/**
 * Autoplay: when an album or playlist ends by itself and the setting is on, a radio seeded
 * from the last track played carries on after it (appended, so "previous" still reaches
 * the album). A radio that cannot start leaves the silence there was without it.
 * Returns the uninstall.
 */
export function installAutoplay(player: Pick<Player, 'onQueueEnded'>, radio: Pick<Radio, 'start'>, setting: AutoplaySetting): () => void {
  return player.onQueueEnded((last) => {
    const kind = last.context?.kind;
    if (!setting.on.value || !kind || !CONTINUED.has(kind)) return;
    radio.start(`track:${last.id}`, { continueQueue: true }).catch(() => undefined);
  });
}
