import { useObservable } from '../shared/useObservable';
import { Icon } from '../shared/ui/icons';
import { services } from './services';

export function OfflineBanner() {
  const online = useObservable(services.online);
  if (online) return null;
  return (
    <div class="offline-banner" role="status">
      <Icon name="offline" size={18} />
      <span>You're offline. Music and pages will load again when you reconnect.</span>
    </div>
  );
}
