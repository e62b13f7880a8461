import type { PlayEvent } from '../../shared/api/tonearm';

/** An event waiting for the server's acknowledgement, under the key the store gave it. */
export interface PendingEvent {
  key: number;
  event: PlayEvent;
}

/** Where play events wait until the server acknowledged them. */
export interface PendingEventStore {
  add(event: PlayEvent): Promise<void>;
  /** The `limit` oldest events, oldest first. */
  oldest(limit: number): Promise<PendingEvent[]>;
  remove(keys: number[]): Promise<void>;
  count(): Promise<number>;
  clear(): Promise<void>;
}

const DATABASE = 'tonearm';
const STORE = 'pending-play-events';

/**
 * Pending events in IndexedDB: they outlive a closed tab, a crash and a reload, and every
 * tab of the origin sees the same ones. Keys increase, so key order is arrival order.
 */
export class IndexedDbEventStore implements PendingEventStore {
  private database: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory) {}

  async add(event: PlayEvent): Promise<void> {
    await this.transaction('readwrite', (store) => store.add({ event }));
  }

  async oldest(limit: number): Promise<PendingEvent[]> {
    const found: PendingEvent[] = [];
    await this.transaction('readonly', (store) => {
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        const current = cursor.result;
        if (!current || found.length >= limit) return;
        found.push({ key: current.primaryKey as number, event: (current.value as { event: PlayEvent }).event });
        current.continue();
      };
    });
    return found;
  }

  async remove(keys: number[]): Promise<void> {
    await this.transaction('readwrite', (store) => keys.forEach((key) => store.delete(key)));
  }

  async count(): Promise<number> {
    let count = 0;
    await this.transaction('readonly', (store) => {
      const request = store.count();
      request.onsuccess = () => (count = request.result);
    });
    return count;
  }

  async clear(): Promise<void> {
    await this.transaction('readwrite', (store) => store.clear());
  }

  /** Runs `work` in one transaction; resolves once it is committed (durable for `readwrite`). */
  private async transaction(mode: IDBTransactionMode, work: (store: IDBObjectStore) => void): Promise<void> {
    const database = await this.open();
    await new Promise<void>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode, { durability: 'strict' });
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
      work(transaction.objectStore(STORE));
    });
  }

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const request = this.factory.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        this.database = null;
        reject(request.error ?? new Error('IndexedDB could not be opened'));
      };
    });
    return this.database;
  }
}
