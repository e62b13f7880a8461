import { useEffect, useState } from 'preact/hooks';
import { useServices } from '../app/services-context';
import { ApiError } from '../shared/api/errors';

/** `/app/callback`: takes the code out of the address bar at once, then exchanges it. */
export function CallbackView() {
  const { auth, router } = useServices();
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    // The one-time code must not linger in the address bar, history or a bookmark.
    history.replaceState(null, '', '/app/callback');
    auth.completeSignIn(params).then(
      (returnTo) => router.navigate(returnTo || '/', { replace: true }),
      (error: unknown) => setFailure(error instanceof ApiError ? error.message : 'Sign-in failed. Please try again.'),
    );
  }, []);
  if (!failure) {
    return (
      <main class="sign-in" aria-busy="true">
        <p>Signing you in…</p>
      </main>
    );
  }
  return (
    <main class="sign-in">
      <p role="alert">{failure}</p>
      <button type="button" class="button primary large" onClick={() => router.navigate('/', { replace: true })}>
        Back to Tonearm
      </button>
    </main>
  );
}
