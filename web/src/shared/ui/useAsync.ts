import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useServices } from '../../app/services-context';
import { ApiError } from '../api/errors';
import { useObservable } from '../useObservable';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'failed'; error: ApiError };

/**
 * Runs `load` when `key` changes, cancels stale loads, and offers `retry`. It also loads
 * again when the server answers after an outage, so no screen keeps an error, or data from
 * before, once the network is back; what it showed stays on screen until the new answer.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, key: unknown): [AsyncState<T>, () => void] {
  const { connection } = useServices();
  const returns = useObservable(connection.returns);
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const shownKey = useRef<unknown>(key);
  useEffect(() => {
    const controller = new AbortController();
    const sameData = shownKey.current === key;
    shownKey.current = key;
    // The same data loaded again (a return, a retry) keeps what is shown; other data does not.
    setState((shown) => (sameData && shown.status === 'ready' ? shown : { status: 'loading' }));
    load(controller.signal).then(
      (value) => !controller.signal.aborted && setState({ status: 'ready', value }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'unexpected', 'Something went wrong. Try again.');
        setState({ status: 'failed', error: apiError });
      },
    );
    return () => controller.abort();
    // `load` is recreated every render; `key` says when the data to load changed.
  }, [key, attempt, returns]);
  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return [state, retry];
}
