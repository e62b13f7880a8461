/**
 * A map that keeps only its `capacity` most recently set entries: what the app keeps ahead
 * of use (playlists read, sources resolved) without growing for as long as a tab lives.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    // Maps iterate in insertion order: the first key is the one set longest ago.
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
