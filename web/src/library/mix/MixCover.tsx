import { Mosaic } from '../../shared/ui/Mosaic';

type Size = Parameters<typeof Mosaic>[0]['size'];

/** A mix's 2×2 mosaic of the covers the server chose from its albums. */
export function MixCover({ mix, size, className = '' }: { mix: { title: string; cover_ids: string[] }; size: Size; className?: string }) {
  return <Mosaic coverIds={mix.cover_ids} name={mix.title} size={size} className={className} />;
}
