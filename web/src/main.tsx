import { render } from 'preact';
import { App } from './app/App';
import './app/styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);

// Browsers expose service workers only in secure contexts (HTTPS, or localhost). The worker
// caches the app shell only, never the API or audio: see public/sw.js.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
