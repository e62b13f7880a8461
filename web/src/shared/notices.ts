import { Observable } from './observable';

/** A message for the listener, with an optional way to act on it (retry, …). */
export interface Notice {
  id: number;
  message: string;
  action?: { label: string; run: () => void };
}

let nextId = 1;

/** The app's toasts: one at a time, newest wins, each dismissable. */
export class Notices {
  readonly current = new Observable<Notice | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Shows a notice; its id dismisses it early (when what it reported is over). */
  show(message: string, action?: Notice['action'], durationMs = 6000): number {
    const notice: Notice = action ? { id: nextId++, message, action } : { id: nextId++, message };
    this.current.set(notice);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.dismiss(notice.id), durationMs);
    return notice.id;
  }

  dismiss(id: number): void {
    if (this.current.value?.id === id) this.current.set(null);
  }
}
