/**
 * The console: a React single-page app built into console/dist, served by the API
 * (api/plugins/console.ts). `npm run console:dev` serves it with hot reload and proxies the API.
 * It imports the node catalogue and the validator straight from core/, outside this root.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const consoleRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const api = process.env.SWITCHBOARD_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: consoleRoot,
  // Relative asset URLs: the built app works wherever the API mounts index.html (routing is by hash).
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: {
      '/v1': { target: api, changeOrigin: false, ws: true },
      '/docs': { target: api },
      '/chat': { target: api },
      '/health': { target: api },
    },
  },
});
