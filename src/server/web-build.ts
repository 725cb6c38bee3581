/**
 * Builds the web app (Vite) into dist/web when it is missing or older than its sources.
 * Until the web app exists this does nothing.
 */
export async function ensureWebBuilt(): Promise<void> {
  const fs = await import('node:fs');
  if (!fs.existsSync('src/web/index.html')) return;
  const { build } = await import('vite');
  const out = 'dist/web/index.html';
  const newest = (dir: string): number => {
    let m = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      m = Math.max(m, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
    return m;
  };
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest('src/web')) return;
  process.stdout.write('building the web app...\n');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
