import type { MixSummary } from '../../shared/api/tonearm';
import { MixCover } from './MixCover';

/** A "Made for you" mix on a shelf: its mosaic, title and what it holds. */
export function MixCard({ mix }: { mix: MixSummary }) {
  return (
    <a class="card mix-card" href={`/mix/${encodeURIComponent(mix.id)}`}>
      <MixCover mix={mix} size={300} />
      <span class="card-title">{mix.title}</span>
      <span class="card-note">{mix.description}</span>
    </a>
  );
}
