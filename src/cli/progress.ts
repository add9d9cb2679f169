import cliProgress from 'cli-progress';

/** A progress display on stderr that appears only once a job has run for more than a second. */
export interface Progress {
  /** Set the number of finished units, with optional extra fields for the format. */
  update(done: number, fields?: Record<string, string | number>): void;
  /** Remove the bar (if shown) and leave the terminal clean. */
  stop(): void;
}

/** Options for `createProgress`. */
export interface ProgressOptions {
  total: number;
  /** What is counted, e.g. "episodes". */
  unit: string;
  /** Extra format text appended after the counters, with {field} placeholders. */
  extra?: string;
  /** Start showing after this many milliseconds (default 1000). */
  delayMs?: number;
  /** Write to this stream instead of stderr (tests). */
  stream?: NodeJS.WritableStream;
}

/** A progress bar (cli-progress) on stderr, shown after a delay, silent when stderr is not a terminal. */
export function createProgress(opts: ProgressOptions): Progress {
  const started = Date.now();
  const delay = opts.delayMs ?? 1000;
  const stream = opts.stream ?? process.stderr;
  const format = `{bar} {value}/{total} ${opts.unit} | {rate}/s | ETA {eta_formatted}${opts.extra ? ` | ${opts.extra}` : ''}`;
  const bar = new cliProgress.SingleBar(
    { format, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  let lastFields: Record<string, string | number> = {};
  return {
    update(done, fields) {
      const elapsed = (Date.now() - started) / 1000;
      lastFields = { ...lastFields, ...fields, rate: elapsed > 0 ? (done / elapsed).toFixed(1) : '0' };
      if (!shown) {
        if (Date.now() - started < delay) return;
        bar.start(opts.total, done, lastFields);
        shown = true;
        return;
      }
      bar.update(done, lastFields);
    },
    stop() {
      if (shown) bar.stop();
      shown = false;
    },
  };
}
