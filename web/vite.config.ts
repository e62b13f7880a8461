import { defineConfig } from 'vitest/config';

// Preact's JSX through esbuild directly: no framework plugin needed for a build without HMR magic.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    // The server's CSP forbids inline scripts: keep every script an external, hashed file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // 3.7 kB less gzipped than esbuild's minification, mostly on hls.js (docs/ARCHITECTURE.md).
    minify: 'terser',
    rollupOptions: {
      output: {
        // hls.js in a bundle of its own: it changes far less often than the app, so an app
        // release does not make listeners download it again.
        manualChunks: (id) => (id.includes('/node_modules/hls.js/') ? 'hls' : undefined),
      },
    },
  },
  server: {
    // `npm run dev` against a server started with `tonearm demo --listen 127.0.0.1:8340`.
    proxy: {
      '/api': 'http://127.0.0.1:8340',
      '/oauth': 'http://127.0.0.1:8340',
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Component tests ask for happy-dom (`@vitest-environment`); same-origin links need a real origin.
    environmentOptions: { happyDOM: { url: 'http://tonearm.test/' } },
  },
});
