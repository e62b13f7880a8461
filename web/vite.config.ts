import { defineConfig } from 'vitest/config';

// Preact's JSX through esbuild directly: no framework plugin needed for a build without HMR magic.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2022',
    // The server's CSP forbids inline scripts: keep every script an external, hashed file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against a server started with `tonearm demo --listen 127.0.0.1:8340`.
    proxy: {
      '/api': 'http://127.0.0.1:8340',
      '/oauth': 'http://127.0.0.1:8340',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
