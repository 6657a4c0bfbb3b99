import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Where an exported replay's recording goes: a classic script setting LAB_RECORDING (see replay/source.ts). */
export const RECORDING_PLACEHOLDER = '<!--LAB_RECORDING-->';
const OUT = 'dist-replay';

/**
 * The web app as one self-contained HTML page that plays a recording with no server: a classic script (a
 * page opened from file:// cannot load modules), styles and fonts inline. The server and `npm run build:demo`
 * put a recording where RECORDING_PLACEHOLDER is (web/dist-replay/replay.html).
 */
export default defineConfig({
  plugins: [react(), inlineEverything()],
  base: './',
  build: {
    outDir: OUT,
    sourcemap: false,
    chunkSizeWarningLimit: 3000,
    // Fonts become data: URLs in the CSS, so nothing is fetched.
    assetsInlineLimit: 10 * 1024 * 1024,
    cssCodeSplit: false,
    rollupOptions: { output: { format: 'iife', inlineDynamicImports: true } },
  },
});

function inlineEverything(): Plugin {
  return {
    name: 'inline-everything',
    apply: 'build',
    closeBundle() {
      const dir = join(import.meta.dirname, OUT);
      let html = readFileSync(join(dir, 'index.html'), 'utf8');
      const assets = new Set<string>();
      html = html.replace(/<script[^>]*src="\.\/(assets\/[^"]+\.js)"[^>]*><\/script>/g, (_, file: string) => {
        assets.add(file);
        // Inside a script element, "</script" would end it early: the same text, escaped for JS.
        const code = readFileSync(join(dir, file), 'utf8').replaceAll('</script', '<\\/script');
        return `${RECORDING_PLACEHOLDER}\n<script>${code}</script>`;
      });
      html = html.replace(/<link rel="stylesheet"[^>]*href="\.\/(assets\/[^"]+\.css)"[^>]*>/g, (_, file: string) => {
        assets.add(file);
        return `<style>${readFileSync(join(dir, file), 'utf8')}</style>`;
      });
      // The app script ran in <head> as a module (deferred); as a classic script it must come after #root.
      const scripts = html.match(new RegExp(`${RECORDING_PLACEHOLDER}\\n<script>[\\s\\S]*</script>`))?.[0] ?? '';
      // (Replacer functions: minified code is full of `$&`-like text a replacement string would expand.)
      html = html.replace(scripts, () => '').replace('</body>', () => `${scripts}\n</body>`);
      if (!html.includes(RECORDING_PLACEHOLDER))
        throw new Error('replay build: the app script was not found to inline');
      writeFileSync(join(dir, 'replay.html'), html);
      rmSync(join(dir, 'assets'), { recursive: true, force: true });
      rmSync(join(dir, 'index.html'));
    },
  };
}
