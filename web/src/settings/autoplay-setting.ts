import { DeviceFlag } from '../shared/device-flag';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Autoplay: whether similar music follows when an album or playlist ends. A choice of this
 * device (a phone on mobile data may want it off while the desktop keeps it on), so it is
 * kept here, not on the server; on by default, as on Spotify.
 */
export class AutoplaySetting extends DeviceFlag {
  constructor(storage: KeyValueStorage) {
    super(storage, 'tonearm.autoplay', true);
  }
}
