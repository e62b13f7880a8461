type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'tonearm.recent-searches';
export const MAX_RECENT_SEARCHES = 10;

/** Searches the listener acted on (opened or played a result), newest first, on this device only. */
export class RecentSearches {
  constructor(private readonly storage: KeyValueStorage) {}

  list(): string[] {
    try {
      const saved: unknown = JSON.parse(this.storage.getItem(KEY) ?? '[]');
      return Array.isArray(saved) ? saved.filter((item): item is string => typeof item === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Puts `text` first; the same search typed differently (case, spaces) is kept once. */
  add(text: string): string[] {
    const trimmed = text.trim().replace(/\s+/g, ' ');
    if (!trimmed) return this.list();
    const key = trimmed.toLocaleLowerCase();
    const next = [trimmed, ...this.list().filter((item) => item.toLocaleLowerCase() !== key)].slice(0, MAX_RECENT_SEARCHES);
    this.storage.setItem(KEY, JSON.stringify(next));
    return next;
  }

  remove(text: string): string[] {
    const next = this.list().filter((item) => item !== text);
    if (next.length === 0) this.storage.removeItem(KEY);
    else this.storage.setItem(KEY, JSON.stringify(next));
    return next;
  }

  clear(): void {
    this.storage.removeItem(KEY);
  }
}
