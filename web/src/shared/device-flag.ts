import { Observable } from './observable';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * A yes-or-no choice of this device (not of the account), kept in local storage under
 * `key`. Only a choice other than `fallback` is stored, so a device that never chose keeps
 * nothing, and `forget` (sign-out) leaves nothing behind.
 */
export class DeviceFlag {
  readonly on: Observable<boolean>;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    private readonly fallback: boolean,
  ) {
    const stored = storage.getItem(key);
    this.on = new Observable(stored === null ? fallback : stored === 'on');
  }

  set(on: boolean): void {
    try {
      if (on === this.fallback) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, on ? 'on' : 'off');
    } catch {
      // Storage denied (private mode): the choice holds until the tab closes.
    }
    this.on.set(on);
  }

  forget(): void {
    this.storage.removeItem(this.key);
    this.on.set(this.fallback);
  }
}
