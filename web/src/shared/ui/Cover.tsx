import { coverUrl } from '../api/tonearm';

type CoverSize = 64 | 128 | 300 | 640 | 1200;

/** Cover art at the size asked for (plus a 2× source for sharp screens), or a placeholder. */
export function Cover({ coverId, size, alt = '', className = '' }: { coverId: string | null | undefined; size: CoverSize; alt?: string; className?: string }) {
  const src = coverUrl(coverId, size);
  if (!src) return <div class={`cover cover-placeholder ${className}`} role={alt ? 'img' : undefined} aria-label={alt || undefined} />;
  const double = ({ 64: 128, 128: 300, 300: 640, 640: 1200, 1200: 1200 } as const)[size];
  const srcSet = `${src} 1x, ${coverUrl(coverId, double) ?? src} 2x`;
  return <img class={`cover ${className}`} src={src} srcSet={srcSet} alt={alt} loading="lazy" decoding="async" />;
}
