import { services } from '../../app/services';
import { Icon } from './icons';

/** A back arrow for detail pages: back in the app's history, or Home when opened directly (a shared link). */
export function BackBar() {
  const goBack = () => {
    if (services.router.canGoBack) history.back();
    else services.router.navigate('/');
  };
  return (
    <div class="back-bar">
      <button type="button" class="icon-button" onClick={goBack} aria-label="Back">
        <Icon name="back" />
      </button>
    </div>
  );
}
