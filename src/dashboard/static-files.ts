/**
 * Serving the built page (build/dashboard/) with a short list of content
 * types; paths are checked to stay inside the folder.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInside } from './run-path.js';

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

/** The built page's folder: build/dashboard at the package root (found from dist/src/dashboard/ or src/dashboard/), or null. */
export function defaultWebDir(): string | null {
  for (const rel of ['../../../build/dashboard/', '../../build/dashboard/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(resolve(dir, 'index.html'))) return dir;
  }
  return null;
}

/** A file of the page: its bytes and content type, or null (missing, outside the folder, unknown type). */
export function readStatic(webDir: string, urlPath: string): { body: Buffer; type: string } | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').some((s) => s === '..' || s.startsWith('.') && s !== '')) return null;
  const type = TYPES[extname(rel).toLowerCase()];
  if (type === undefined) return null;
  try {
    const base = realpathSync(webDir);
    const real = realpathSync(resolve(base, `.${rel}`));
    if (!isInside(base, real) || !statSync(real).isFile()) return null;
    return { body: readFileSync(real), type };
  } catch {
    return null;
  }
}

/** The page shown when the front end has not been built. */
export const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>mitra dashboard</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>mitra dashboard</h1><p>The page has not been built. Run <code>npm run build</code> (or <code>npm run build:dashboard</code>) and reload.
The JSON API under <a href="/api/runs">/api/runs</a> works without it.</p></body>`;
