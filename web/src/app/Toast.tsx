import { useObservable } from '../shared/useObservable';
import { useServices } from './services-context';

/** The current notice; announced politely to screen readers. */
export function Toast() {
  const { notices } = useServices();
  const notice = useObservable(notices.current);
  return (
    <div class="toast-region" aria-live="polite">
      {notice && (
        <div class="toast" role="status">
          <span>{notice.message}</span>
          {notice.action && (
            <button
              type="button"
              class="toast-action"
              onClick={() => {
                notices.dismiss(notice.id);
                notice.action?.run();
              }}
            >
              {notice.action.label}
            </button>
          )}
          <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => notices.dismiss(notice.id)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
