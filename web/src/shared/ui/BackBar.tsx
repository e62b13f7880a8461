import { useServices } from '../../app/services-context';
import { Icon } from './icons';

/** A back arrow for detail pages: back in the app's history, or Home when opened directly (a shared link). */
export function BackBar() {
  const { router } = useServices();
  const goBack = () => {
    if (router.canGoBack) history.back();
    else router.navigate('/');
  };
  return (
    <div class="back-bar">
      <button type="button" class="icon-button" onClick={goBack} aria-label="Back">
        <Icon name="back" />
      </button>
    </div>
  );
}
