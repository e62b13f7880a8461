import { useServices } from '../app/services-context';
import { Cover } from '../shared/ui/Cover';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';

/** The queue in play order: jump to, move up or down, remove. Buttons rather than drag, so it works by keyboard and screen reader too. */
export function QueueList() {
  const { player } = useServices();
  const queue = useObservable(player.queue);
  return (
    <section class="queue" aria-label="Queue">
      <h2>Queue</h2>
      <ol>
        {queue.entries.map((entry, index) => (
          <li key={entry.uid} class={index === queue.current ? 'is-playing' : index < queue.current ? 'is-played' : ''}>
            <button type="button" class="queue-track" onClick={() => player.jumpTo(index)} aria-current={index === queue.current ? 'true' : undefined}>
              <Cover coverId={entry.track.cover_id} size={64} />
              <span class="track-text">
                <span class="track-title">{entry.track.title}</span>
                <span class="track-subtitle">{entry.track.artists.map((artist) => artist.name).join(', ')}</span>
              </span>
            </button>
            <button type="button" class="icon-button" disabled={index === 0} onClick={() => player.move(index, index - 1)} aria-label={`Move ${entry.track.title} up`}>
              <Icon name="up" />
            </button>
            <button type="button" class="icon-button" disabled={index === queue.entries.length - 1} onClick={() => player.move(index, index + 1)} aria-label={`Move ${entry.track.title} down`}>
              <Icon name="down" />
            </button>
            <button type="button" class="icon-button" onClick={() => player.remove(index)} aria-label={`Remove ${entry.track.title} from the queue`}>
              <Icon name="close" />
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
