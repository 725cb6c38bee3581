import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The admin web app: sources in src/web, built into dist/web, served by the API server at / (src/server/web-static.ts).
// `npm run dev:web`-style proxying is not needed for tests; LMC_API_URL points a dev server at a running API.
export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // The app is small; a single chunk keeps first load to two requests.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: { '/api': process.env.LMC_API_URL ?? 'http://127.0.0.1:8080', '/openapi.json': process.env.LMC_API_URL ?? 'http://127.0.0.1:8080' },
  },
});
