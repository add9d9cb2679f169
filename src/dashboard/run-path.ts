/**
 * Turning a run id from a URL into a folder inside the runs folder, refusing
 * anything that could reach outside it: `..`, absolute paths, backslashes,
 * hidden segments, and symbolic links that lead out.
 */
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HttpError } from './http-error.js';

const MAX_ID = 512;

/** Whether `child` is `parent` or lies below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** Check the syntax of a run id (`/`-separated relative path); throws a 400 naming the problem. */
export function checkRunId(id: string): string {
  if (id.length === 0 || id.length > MAX_ID) throw new HttpError(400, `run id must be 1 to ${MAX_ID} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(id)) throw new HttpError(400, 'run id must not contain control characters or backslashes');
  if (id.startsWith('/') || isAbsolute(id) || /^[A-Za-z]:/.test(id)) throw new HttpError(400, 'run id must be a path relative to the runs folder');
  for (const seg of id.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') throw new HttpError(400, `run id '${id}': empty, '.' or '..' segments are not allowed`);
    if (seg.startsWith('.')) throw new HttpError(400, `run id '${id}': hidden folders are not runs`);
  }
  return id;
}

/** The runs folder's real path, or null while it does not exist. */
export function realRoot(root: string): string | null {
  try {
    return realpathSync(resolve(root));
  } catch {
    return null;
  }
}

/**
 * The real folder of run `id` under `root`: 400 for a malformed id, 404 when
 * there is no such run (including a symbolic link leading out of the runs folder).
 */
export function resolveRunDir(root: string, id: string): string {
  checkRunId(id);
  const base = realRoot(root);
  if (base === null) throw new HttpError(404, `no run '${id}' (the runs folder does not exist)`);
  const candidate = resolve(base, ...id.split('/'));
  if (!isInside(base, candidate) || candidate === base) throw new HttpError(400, `run id '${id}' leaves the runs folder`);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new HttpError(404, `no run '${id}'`);
  }
  if (!isInside(base, real) || real === base) throw new HttpError(404, `no run '${id}'`);
  if (!statSync(real).isDirectory() || safeFile(base, real, 'config.json') === null) throw new HttpError(404, `no run '${id}' (no config.json)`);
  return real;
}

/**
 * Path of file `name` in folder `dir` when it exists and stays inside `base`
 * (a symbolic link out counts as missing), else null.
 */
export function safeFile(base: string, dir: string, name: string): string | null {
  const path = join(dir, name);
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) {
      const real = realpathSync(path);
      return isInside(base, real) && existsSync(real) ? real : null;
    }
    return path;
  } catch {
    return null;
  }
}
