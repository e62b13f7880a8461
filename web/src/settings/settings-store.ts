import { ApiError } from '../shared/api/errors';
import type { SettingsPatch, TonearmApi, UserSettings } from '../shared/api/tonearm';
import type { Notices } from '../shared/notices';
import { Observable } from '../shared/observable';

/**
 * The listener's preferences as the server keeps them. A change shows at once and is sent
 * as a `PATCH` of that one setting (so another device's change to another setting stays);
 * the server's answer is the truth, and a refusal puts the old value back.
 */
export class SettingsStore {
  readonly settings = new Observable<UserSettings | null>(null);

  constructor(
    private readonly api: Pick<TonearmApi, 'settings' | 'changeSettings'>,
    private readonly notices: Notices,
  ) {}

  async load(signal?: AbortSignal): Promise<UserSettings> {
    const settings = await this.api.settings(signal);
    this.settings.set(settings);
    return settings;
  }

  async change(patch: SettingsPatch): Promise<void> {
    const before = this.settings.value;
    if (before) this.settings.set({ ...before, ...stripNulls(patch) });
    try {
      this.settings.set(await this.api.changeSettings(patch));
    } catch (error) {
      this.settings.set(before);
      this.notices.show(error instanceof ApiError ? error.message : 'The setting could not be saved. Try again.');
    }
  }

  reset(): void {
    this.settings.set(null);
  }
}

function stripNulls(patch: SettingsPatch): Partial<UserSettings> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null && value !== undefined));
}
