import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommonErrors } from '../shared/errors.ts';
import type { Api } from '../api/types.ts';

/** Where `vite build` puts the web app (vite.config.ts: outDir dist/web). LMC_WEB_DIR overrides it. */
export function webDistDir(): string {
  return process.env.LMC_WEB_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

// Paths the API owns: an unknown one is a JSON 404, never the app's HTML.
const API_PREFIXES = ['/api/', '/xapi/', '/openapi.json', '/health', '/ready', '/metrics'];

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>lmc</title>
<p>The web app is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it).</p>`;

const DOCS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');

/** The user docs (docs/**.md, and their screenshots) for the app's Getting Started pages. */
function sendDoc(rel: string, reply: import('fastify').FastifyReply) {
  const file = path.join(DOCS_DIR, path.normalize(rel));
  const ok = /\.(md|png)$/.test(file) && file.startsWith(DOCS_DIR + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
  if (!ok) throw CommonErrors.NOT_FOUND.create(`/docs/${rel}`);
  reply.header('cache-control', 'no-cache');
  reply.type(file.endsWith('.md') ? 'text/markdown; charset=utf-8' : 'image/png');
  return reply.send(fs.createReadStream(file));
}

/**
 * Serves the built web app at / with an SPA fallback: a file under dist/web when it exists, else index.html
 * so client-side routes (/connections/3/mapping) survive a reload. Hashed assets are cached for a year;
 * index.html is always revalidated so a new build is picked up.
 */
export function installWebStatic(app: Api): void {
  const handler = async (req: { url: string; method: string }, reply: import('fastify').FastifyReply) => {
    const urlPath = decodeURIComponent(req.url.split('?')[0]);
    if (API_PREFIXES.some((p) => urlPath === p.replace(/\/$/, '') || urlPath.startsWith(p))) {
      throw CommonErrors.NOT_FOUND.create(`${req.method} ${req.url}`);
    }
    if (urlPath.startsWith('/docs/')) return sendDoc(urlPath.slice('/docs/'.length), reply);
    const root = webDistDir();
    const rel = path.normalize(urlPath).replace(/^([/\\])+/, '');
    const file = path.join(root, rel);
    // Confinement: a path that normalises outside the build folder is served the app, not the file.
    const inside = file.startsWith(root + path.sep) && !rel.split(path.sep).includes('..');
    let target = path.join(root, 'index.html');
    if (inside && rel && fs.existsSync(file) && fs.statSync(file).isFile()) target = file;
    else if (path.extname(rel) && rel.startsWith('assets')) throw CommonErrors.NOT_FOUND.create(urlPath);
    if (!fs.existsSync(target)) return reply.type('text/html; charset=utf-8').status(200).send(NOT_BUILT);
    const isIndex = target.endsWith(`${path.sep}index.html`);
    reply.header('cache-control', isIndex ? 'no-cache' : 'public, max-age=31536000, immutable');
    reply.type(TYPES[path.extname(target)] ?? 'application/octet-stream');
    return reply.send(fs.createReadStream(target));
  };
  app.get('/', { config: { public: true }, schema: { hide: true } }, handler);
  app.get('/*', { config: { public: true }, schema: { hide: true } }, handler);
}
