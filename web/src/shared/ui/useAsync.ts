import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/errors';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'failed'; error: ApiError };

/** Runs `load` when `key` changes, cancels stale loads, and offers `retry`. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, key: unknown): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
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
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return [state, retry];
}
