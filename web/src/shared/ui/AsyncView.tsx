import type { ComponentChildren } from 'preact';
import type { AsyncState } from './useAsync';

/** A failure as a sentence with a retry button: never a blank screen. */
export function ErrorPanel({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div class="error-panel" role="alert">
      <p>{message}</p>
      <button type="button" class="button secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function AsyncView<T>({ state, retry, skeleton, children }: { state: AsyncState<T>; retry: () => void; skeleton?: ComponentChildren; children: (value: T) => ComponentChildren }) {
  if (state.status === 'loading') return <>{skeleton ?? <div class="loading" aria-busy="true" aria-label="Loading" />}</>;
  if (state.status === 'failed') return <ErrorPanel message={state.error.message} onRetry={retry} />;
  return <>{children(state.value)}</>;
}
