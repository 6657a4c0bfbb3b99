import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In `npm run dev` the page comes from Vite with hot reload and talks to the lab server on LAB_PORT.
const server = `http://127.0.0.1:${process.env.LAB_PORT ?? '3000'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': server,
      '/live': { target: server.replace('http', 'ws'), ws: true },
    },
  },
  // Source maps give anyone who can load the page the whole source: built only when asked (LAB_SOURCE_MAPS=1).
  build: { outDir: 'dist', sourcemap: process.env.LAB_SOURCE_MAPS === '1', chunkSizeWarningLimit: 1500 },
});
