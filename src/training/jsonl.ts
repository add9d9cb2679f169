/**
 * JSON-lines logs (metrics.jsonl, eval.jsonl): an append-only writer with
 * buffered writes, and chunked readers shared by resume, reports and the
 * dashboard. A process killed mid-append can leave a partial last line:
 * readers hand out complete lines only, and a resumed run first truncates the
 * file to the line count its checkpoint recorded (`truncateJsonl`).
 */
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UserError } from '../core/errors.js';

/** Buffered appends to a JSON-lines file. */
export class JsonlWriter {
  private pending: string[] = [];
  /** Lines written or pending. */
  lines: number;

  constructor(readonly path: string, existingLines = 0) {
    this.lines = existingLines;
  }

  /** Queue one record (NaN and infinities become null). */
  write(record: Record<string, unknown>): void {
    this.pending.push(JSON.stringify(record));
    this.lines++;
  }

  /** Append the queued lines to the file. */
  flush(): void {
    if (this.pending.length === 0) return;
    appendFileSync(this.path, `${this.pending.join('\n')}\n`);
    this.pending = [];
  }
}

const CHUNK = 1 << 20;
const NL = 0x0a;

/**
 * Call `fn` with each complete line (one ending in a newline) of `path` from
 * byte `from` up to byte `to` (default: the current size), reading in 1 MiB
 * chunks so that a log of millions of episodes never has to fit in one string.
 * `fn` returning false stops the scan after that line. Returns the offset just
 * past the last line handed to `fn`, and whether non-blank bytes after the last
 * newline remain (a torn line; only meaningful for a scan that was not stopped).
 * A missing file scans as empty.
 */
export function scanLines(path: string, fn: (line: string) => boolean | void, from = 0, to?: number): { end: number; torn: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { end: from, torn: false };
  }
  try {
    const stop = Math.min(to ?? Infinity, fstatSync(fd).size);
    let pos = from;
    let end = from;
    let carry: Buffer = Buffer.alloc(0);
    while (pos < stop) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, stop - pos));
      const got = readSync(fd, chunk, 0, chunk.length, pos);
      if (got <= 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, got)]) : chunk.subarray(0, got);
      const base = pos - carry.length;
      pos += got;
      let start = 0;
      for (let nl = buf.indexOf(NL, start); nl >= 0; nl = buf.indexOf(NL, start)) {
        const more = fn(buf.toString('utf8', start, nl));
        start = nl + 1;
        end = base + start;
        if (more === false) return { end, torn: false };
      }
      carry = Buffer.from(buf.subarray(start));
    }
    return { end, torn: carry.toString('utf8').trim() !== '' };
  } finally {
    closeSync(fd);
  }
}

/** A line parsed as a JSON object, or null (blank, torn or corrupt). */
export function parseRow(line: string): Record<string, unknown> | null {
  if (line.trim() === '') return null;
  try {
    const v: unknown = JSON.parse(line);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Records of a JSON-lines file; an incomplete or corrupt line is skipped (the file may be being written). */
export function readJsonl(path: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  scanLines(path, (line) => {
    const row = parseRow(line);
    if (row) out.push(row);
  });
  return out;
}

/**
 * Keep the first `lines` complete lines of a JSON-lines file (creating it when
 * missing). Truncation is one system call, so a crash leaves either the old or
 * the shortened file; nothing is rewritten, however long the log.
 */
export function truncateJsonl(path: string, lines: number): void {
  if (!existsSync(path)) {
    writeFileAtomic(path, '');
    return;
  }
  let seen = 0;
  const { end } = lines === 0 ? { end: 0 } : scanLines(path, () => ++seen < lines);
  if (seen < lines) {
    throw new UserError(`${path}: has fewer than the ${lines} complete lines its checkpoint recorded; the run folder was changed by hand and cannot be resumed exactly`);
  }
  if (end < statSync(path).size) truncateSync(path, end);
}
