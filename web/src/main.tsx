import { render } from 'preact';
import { App } from './app/App';
import { createServices } from './app/services';
import { ServicesProvider } from './app/services-context';
import './app/styles.css';

const services = createServices();
const root = document.getElementById('app');
if (root) {
  render(
    <ServicesProvider value={services}>
      <App />
    </ServicesProvider>,
    root,
  );
}

// Browsers expose service workers only in secure contexts (HTTPS, or localhost). The worker
// caches the app shell only, never the API or audio: see public/sw.js.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
