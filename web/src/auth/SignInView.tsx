import { useState } from 'preact/hooks';
import { useServices } from '../app/services-context';

/** Signed out: one button that starts the PKCE flow on the server's own sign-in page. */
export function SignInView() {
  const { auth } = useServices();
  const [starting, setStarting] = useState(false);
  const signIn = async () => {
    setStarting(true);
    const returnTo = location.pathname === '/app/callback' ? '/' : location.pathname + location.search;
    location.assign(await auth.beginSignIn(returnTo));
  };
  return (
    <main class="sign-in">
      <img src="/icons/icon-192.png" width={96} height={96} alt="" />
      <h1>Tonearm</h1>
      <p>Your music, from your own server.</p>
      <button type="button" class="button primary large" onClick={signIn} disabled={starting}>
        {starting ? 'Opening sign-in…' : 'Sign in'}
      </button>
    </main>
  );
}
