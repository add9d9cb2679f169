/**
 * Reading JSON-lines logs that a training run may be appending to right now:
 * only complete lines (ending in a newline) are read, corrupt lines are
 * skipped, and a missing file reads as empty. Works on bytes in chunks, so a
 * log of millions of episodes never has to fit in one string.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseRow, scanLines } from '../training/jsonl.js';

const NL = 0x0a;

function parseLine(buf: Buffer, start: number, end: number): Record<string, unknown> | null {
  return end <= start ? null : parseRow(buf.toString('utf8', start, end));
}

function openOrNull(path: string): number | null {
  try {
    return openSync(path, 'r');
  } catch {
    return null;
  }
}

/**
 * Call `fn` for each complete, valid line of `path` from byte `from` up to
 * byte `to` (default: the current size); returns the offset just past the
 * last complete line read.
 */
export function forEachJsonl(path: string, fn: (row: Record<string, unknown>) => void, from = 0, to?: number): number {
  return scanLines(path, (line) => {
    const row = parseRow(line);
    if (row) fn(row);
  }, from, to).end;
}

/** The last complete valid row of `path` and the offset after the last complete line (null row when none). */
export function readLastRow(path: string): { row: Record<string, unknown> | null; end: number } {
  const fd = openOrNull(path);
  if (fd === null) return { row: null, end: 0 };
  try {
    const size = fstatSync(fd).size;
    for (let window = 64 * 1024; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.allocUnsafe(size - start);
      const got = readSync(fd, buf, 0, buf.length, start);
      const data = buf.subarray(0, got);
      const lastNl = data.lastIndexOf(NL);
      if (lastNl < 0) {
        if (start === 0) return { row: null, end: 0 };
        continue;
      }
      const end = start + lastNl + 1;
      // Walk back over complete lines until one parses (a corrupt one is skipped).
      let lineEnd = lastNl;
      while (lineEnd >= 0) {
        const prev = lineEnd === 0 ? -1 : data.lastIndexOf(NL, lineEnd - 1);
        if (prev < 0 && start > 0) break; // the line may begin before the window
        const row = parseLine(data, prev + 1, lineEnd);
        if (row) return { row, end };
        lineEnd = prev;
      }
      if (start === 0) return { row: null, end };
    }
  } finally {
    closeSync(fd);
  }
}

/** Size of a file, 0 when missing. */
export function fileSize(path: string): number {
  const fd = openOrNull(path);
  if (fd === null) return 0;
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Appended rows of a growing log, polled: remembers how far it has read. */
export class JsonlTail {
  private offset: number;

  /** Start at byte `from`, by default the current end of `path` (only rows appended later are returned). */
  constructor(readonly path: string, from?: number) {
    this.offset = from ?? readLastRow(path).end;
  }

  /**
   * Rows appended since the last poll. `reset` is true when the file shrank
   * (a resumed run truncated it) or grew by more than `maxBytes` at once: the
   * reader skips to the end and the caller should reload the whole series.
   */
  poll(maxBytes = 4 << 20): { rows: Record<string, unknown>[]; reset: boolean } {
    const size = fileSize(this.path);
    if (size < this.offset || size - this.offset > maxBytes) {
      this.offset = readLastRow(this.path).end;
      return { rows: [], reset: true };
    }
    if (size === this.offset) return { rows: [], reset: false };
    const rows: Record<string, unknown>[] = [];
    this.offset = forEachJsonl(this.path, (r) => rows.push(r), this.offset, size);
    return { rows, reset: false };
  }
}
