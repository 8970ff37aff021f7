import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built to dist/client and served by the API at /app (apps/api/src/client). Plain Preact with
// the automatic JSX runtime through Vite's own transformer: no Babel, no framework plugin.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  publicDir: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/client', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    // One small bundle: a CSS file and a JS file, both content-hashed under /app/assets.
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config apps/client/vite.config.ts` with the API on :3000.
    proxy: { '/graphql': 'http://localhost:3000' },
  },
});
