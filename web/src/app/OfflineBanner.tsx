import { useObservable } from '../shared/useObservable';
import { Icon } from '../shared/ui/icons';
import { useServices } from './services-context';

export function OfflineBanner() {
  const { connection } = useServices();
  const reachable = useObservable(connection.online);
  if (reachable) return null;
  return (
    <div class="offline-banner" role="status">
      <Icon name="offline" size={18} />
      <span>You're offline. Music and pages will load again when you reconnect.</span>
    </div>
  );
}
