import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Entitlements, UserSettings } from '../shared/api/tonearm';
import { AsyncView, ErrorPanel } from '../shared/ui/AsyncView';
import { BackBar } from '../shared/ui/BackBar';
import { useAsync } from '../shared/ui/useAsync';
import { useObservable } from '../shared/useObservable';
import { useServices } from '../app/services-context';
import { notificationPermission } from './notification-permission';
import { qualityAbovePlan } from './plan';
import { PremiumLabel } from './PremiumMark';

type StreamingQuality = UserSettings['streaming_quality'];
type DownloadQuality = UserSettings['download_quality'];

const STREAMING: { value: StreamingQuality; label: string; detail: string }[] = [
  { value: 'auto', label: 'Automatic', detail: 'Adapts to your connection' },
  { value: 'low', label: 'Low', detail: 'Saves data' },
  { value: 'normal', label: 'Normal', detail: 'About 128 kbps' },
  { value: 'high', label: 'High', detail: 'About 256 kbps' },
  { value: 'lossless', label: 'Lossless', detail: 'As the original file' },
];

const DOWNLOAD: { value: DownloadQuality; label: string }[] = [
  { value: 'normal', label: 'Normal' },
  { value: 'high', label: 'High' },
  { value: 'lossless', label: 'Lossless' },
];

/** Settings: playback and download quality and notifications (kept on the server), the account, sign-out. */
export function SettingsView() {
  const { settings: store, signOut, router } = useServices();
  const settings = useObservable(store.settings);
  const [loaded, retry] = useAsync((signal) => store.load(signal), 'settings');
  const leave = async () => {
    await signOut();
    router.navigate('/', { replace: true });
  };
  return (
    <main class="page settings">
      <BackBar />
      <h1 class="page-title">Settings</h1>
      <AccountSection />
      <PlaybackSection />
      {settings ? <Preferences settings={settings} /> : <AsyncView state={loaded} retry={retry}>{() => null}</AsyncView>}
      <section class="settings-section" aria-labelledby="sign-out-heading">
        <h2 id="sign-out-heading" class="visually-hidden">
          Sign out
        </h2>
        <button type="button" class="button secondary wide" onClick={() => void leave()}>
          Sign out
        </button>
      </section>
    </main>
  );
}

function AccountSection() {
  const { api, plan } = useServices();
  // Through the plan, so the marks elsewhere follow what is shown here.
  const [state, retry] = useAsync((signal) => Promise.all([api.me(signal), plan.load(signal)]), 'account');
  return (
    <section class="settings-section" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <AsyncView state={state} retry={retry}>
        {([account, rights]) => (
          <>
            <dl class="settings-facts">
              <div>
                <dt>Signed in as</dt>
                <dd>{account.username}</dd>
              </div>
              <div>
                <dt>Plan</dt>
                <dd class="tier">{account.tier === 'premium' ? 'Premium' : 'Free'}</dd>
              </div>
              <div>
                <dt>Streaming</dt>
                <dd>{rights.max_stream_kbps ? `Up to ${rights.max_stream_kbps} kbps` : 'Up to lossless'}</dd>
              </div>
              <div>
                <dt>Skips</dt>
                <dd>{skipsText(rights)}</dd>
              </div>
            </dl>
            {account.tier === 'free' && (
              <p class="upgrade-hint" role="note">
                <strong>Go Premium</strong> for lossless sound, unlimited skips, downloads for offline listening and Premium-only releases. Ask the
                administrator of your Tonearm server to upgrade your account.
              </p>
            )}
          </>
        )}
      </AsyncView>
    </section>
  );
}

/** Autoplay, a choice of this device: kept here, so it shows before the server's settings arrive. */
function PlaybackSection() {
  const { autoplay } = useServices();
  const on = useObservable(autoplay.on);
  return (
    <section class="settings-section" aria-labelledby="playback-heading">
      <h2 id="playback-heading">Playback</h2>
      <Row label="Autoplay" detail="Keep playing similar songs when your music ends">
        <button type="button" role="switch" class="switch" aria-checked={on} aria-label="Autoplay" onClick={() => autoplay.set(!on)}>
          <span class="switch-knob" />
        </button>
      </Row>
    </section>
  );
}

function skipsText(rights: Entitlements): string {
  const { per_hour, remaining, next_skip_returns_at } = rights.skips;
  if (per_hour === null || per_hour === undefined) return 'Unlimited';
  const left = `${remaining ?? 0} of ${per_hour} left this hour`;
  if (remaining === 0 && next_skip_returns_at) {
    return `${left}; the next at ${new Date(next_skip_returns_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  }
  return left;
}

function Preferences({ settings }: { settings: UserSettings }) {
  const store = useServices().settings;
  return (
    <>
      <section class="settings-section" aria-labelledby="quality-heading">
        <h2 id="quality-heading">Audio quality</h2>
        <Choice legend="Streaming" name="streaming_quality" value={settings.streaming_quality} options={STREAMING} onChange={(value) => void store.change({ streaming_quality: value })} />
        <p class="hint">Higher quality uses more data. Your plan's limit applies.</p>
        <Choice legend="Downloads" name="download_quality" value={settings.download_quality} options={DOWNLOAD} onChange={(value) => void store.change({ download_quality: value })} />
      </section>
      <section class="settings-section" aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">Notifications</h2>
        <NotificationsToggle on={settings.notifications} />
      </section>
    </>
  );
}

/** Radio choices; those above the listener's plan say Premium and cannot be chosen (the server would cap them anyway). */
function Choice<T extends StreamingQuality>({ legend, name, value, options, onChange }: { legend: string; name: string; value: T; options: { value: T; label: string; detail?: string }[]; onChange: (value: T) => void }) {
  const rights = useObservable(useServices().plan.rights);
  return (
    <fieldset class="choice">
      <legend>{legend}</legend>
      {options.map((option) => {
        const premium = qualityAbovePlan(option.value, rights);
        return (
          <label key={option.value} class={`choice-row ${premium ? 'is-premium' : ''}`}>
            <span class="choice-text">
              <span>
                {option.label}
                {premium && <PremiumLabel />}
              </span>
              {option.detail && <span class="choice-detail">{option.detail}</span>}
            </span>
            <input type="radio" name={name} value={option.value} checked={value === option.value} disabled={premium} onChange={() => onChange(option.value)} />
          </label>
        );
      })}
    </fieldset>
  );
}

/** Switching on asks the browser's permission first; a refusal leaves it off and says how to change that. */
function NotificationsToggle({ on }: { on: boolean }) {
  const store = useServices().settings;
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setProblem(null), [on]);
  const toggle = async () => {
    if (on) return store.change({ notifications: false });
    if (!('Notification' in window)) {
      setProblem("This browser can't show notifications.");
      return;
    }
    const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
    if (permission !== 'granted') {
      setProblem('Notifications are blocked for this site. Allow them in your browser’s site settings, then try again.');
      return;
    }
    await store.change({ notifications: true });
  };
  return (
    <>
      <Row label="New releases" detail="From artists you like, when they arrive">
        <button type="button" role="switch" class="switch" aria-checked={on} aria-label="Notifications about new releases" onClick={() => void toggle()}>
          <span class="switch-knob" />
        </button>
      </Row>
      {problem && <ErrorPanel message={problem} onRetry={() => void toggle()} />}
      {!problem && on && <BlockedHere />}
    </>
  );
}

/** On for the account (another device switched it on), but this browser will not show them. */
function BlockedHere() {
  const permission = notificationPermission();
  if (permission === 'granted') return null;
  const why =
    permission === 'unsupported'
      ? "This browser can't show notifications, so new releases are announced on your other devices only."
      : permission === 'denied'
        ? 'Notifications are blocked for this site, so none will appear here. Allow them in your browser’s site settings.'
        : 'This browser has not been allowed to show notifications yet: switch off and on again to allow them.';
  return (
    <p class="settings-note" role="note">
      {why}
    </p>
  );
}

function Row({ label, detail, children }: { label: string; detail: string; children: ComponentChildren }) {
  return (
    <div class="choice-row">
      <span class="choice-text">
        <span>{label}</span>
        <span class="choice-detail">{detail}</span>
      </span>
      {children}
    </div>
  );
}
