import type { LibrarySort } from '../shared/api/tonearm';

export const SORT_LABELS: Record<LibrarySort, string> = { date_added: 'Recently added', name: 'Alphabetical', artist: 'Artist' };

/** The order of a library list; a native select, so phones show their own picker. */
export function SortSelect({ value, onChange, labels = SORT_LABELS }: { value: LibrarySort; onChange: (sort: LibrarySort) => void; labels?: Record<LibrarySort, string> }) {
  return (
    <label class="sort-select">
      <span>Sort by</span>
      <select value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value as LibrarySort)}>
        {(Object.keys(labels) as LibrarySort[]).map((sort) => (
          <option key={sort} value={sort}>
            {labels[sort]}
          </option>
        ))}
      </select>
    </label>
  );
}
