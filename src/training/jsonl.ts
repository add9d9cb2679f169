import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic-write.js';
import { UserError } from '../core/errors.js';

/**
 * An append-only JSON-lines log with buffered writes. A process killed
 * mid-append can leave a partial last line: `readJsonl` skips it, and a
 * resumed run first truncates the file to the line count its checkpoint
 * recorded (`truncateJsonl`).
 */
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

/** Records of a JSON-lines file; an incomplete or corrupt last line is skipped (the file may be being written). */
export function readJsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const out: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  // The part after the last newline (empty when the file ends with one) is incomplete.
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A torn line from a killed writer: skip it.
    }
  }
  return out;
}

/** Keep the first `lines` complete lines of a JSON-lines file (creating it when missing). */
export function truncateJsonl(path: string, lines: number): void {
  if (!existsSync(path)) {
    writeFileAtomic(path, '');
    return;
  }
  const text = readFileSync(path, 'utf8');
  let pos = 0;
  for (let i = 0; i < lines; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) throw new UserError(`${path}: has fewer than the ${lines} complete lines its checkpoint recorded; the run folder was changed by hand and cannot be resumed exactly`);
    pos = nl + 1;
  }
  if (pos !== text.length) writeFileAtomic(path, text.slice(0, pos));
}
