import type { Json } from '../algorithm.js';
import { ReplayBuffer, type FieldWidths } from './replay-buffer.js';
import { putBuffer, takeBuffer, type ArrayMap } from './state-io.js';

/**
 * The superior / inferior experience buffers D+ and D- of MITRA-VIB (SPEC 3.2).
 * After every episode its return is compared with a progressive threshold:
 * the larger of the lowest return held in D+ and the mean return of the last
 * `window` episodes before this one. Above it, the episode's transitions go to
 * D+; otherwise to D-. While D+ is empty only the mean counts, and the very
 * first episode (no mean yet) goes to D-.
 */
export class ExperienceSplit {
  readonly good: ReplayBuffer;
  readonly bad: ReplayBuffer;
  private goodReturns: Float64Array;
  private readonly recent: Float64Array;
  private recentCount = 0;
  private recentHead = 0;
  /** Threshold used for the last classified episode (NaN before the first). */
  lastThreshold = Number.NaN;

  constructor(capacity: number, widths: FieldWidths, readonly window = 1000) {
    this.good = new ReplayBuffer(capacity, widths, Math.min(capacity, 1024));
    this.bad = new ReplayBuffer(capacity, widths, Math.min(capacity, 1024));
    this.goodReturns = new Float64Array(capacity);
    this.recent = new Float64Array(window);
  }

  /** The threshold an episode's return must exceed to enter D+ (Infinity before any episode). */
  threshold(): number {
    // Summed afresh in a fixed order (oldest first) so a restored split gives the same bits.
    let sum = 0;
    const start = this.recentCount < this.window ? 0 : this.recentHead;
    for (let i = 0; i < this.recentCount; i++) sum += this.recent[(start + i) % this.window]!;
    const mean = this.recentCount === 0 ? Number.POSITIVE_INFINITY : sum / this.recentCount;
    if (this.good.size === 0) return mean;
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.good.size; i++) lowest = Math.min(lowest, this.goodReturns[i]!);
    return Math.max(lowest, mean);
  }

  /**
   * Classify a finished episode: push its transitions (`count` of them, read by
   * `read(i, out)`) into D+ or D-, then record its return. Returns true for D+.
   */
  addEpisode(episodeReturn: number, count: number, read: (i: number, out: Record<string, Float32Array>) => void, scratch: Record<string, Float32Array>): boolean {
    const threshold = this.threshold();
    this.lastThreshold = threshold;
    const superior = episodeReturn > threshold;
    const target = superior ? this.good : this.bad;
    for (let i = 0; i < count; i++) {
      read(i, scratch);
      if (superior) {
        // The ring writes at the slot `size` (not full) or at the oldest entry (full).
        const slot = this.good.size < this.good.capacity ? this.good.size : this.goodSlotOfOldest();
        this.goodReturns[slot] = episodeReturn;
      }
      target.push(scratch);
    }
    this.recordReturn(episodeReturn);
    return superior;
  }

  /** Save both buffers (as `good.*` / `bad.*` arrays), the returns and the threshold; returns the JSON part. */
  save(arrays: ArrayMap): { [key: string]: Json } {
    const recentReturns: number[] = [];
    const start = this.recentCount < this.window ? 0 : this.recentHead;
    for (let i = 0; i < this.recentCount; i++) recentReturns.push(this.recent[(start + i) % this.window]!);
    return {
      good: putBuffer(arrays, 'good', this.good),
      bad: putBuffer(arrays, 'bad', this.bad),
      goodReturns: Array.from(this.goodReturns.subarray(0, this.good.size)),
      recentReturns,
      threshold: this.lastThreshold,
    };
  }

  /** Restore what `save` wrote. */
  load(arrays: ArrayMap, meta: { [key: string]: Json }): void {
    takeBuffer(arrays, 'good', this.good, meta['good']);
    takeBuffer(arrays, 'bad', this.bad, meta['bad']);
    this.goodReturns.fill(0);
    this.goodReturns.set(meta['goodReturns'] as number[]);
    this.recentCount = 0;
    this.recentHead = 0;
    for (const r of meta['recentReturns'] as number[]) this.recordReturn(r);
    // JSON keeps neither NaN (no episode yet) nor Infinity (the first episode's threshold): both read back as null.
    this.lastThreshold = typeof meta['threshold'] === 'number' ? meta['threshold'] : Number.NaN;
  }

  private goodSlotOfOldest(): number {
    // When full, the next write position of the ring is its oldest entry.
    return this.good.snapshotHead();
  }

  private recordReturn(r: number): void {
    if (this.recentCount < this.window) this.recentCount++;
    this.recent[this.recentHead] = r;
    this.recentHead = (this.recentHead + 1) % this.window;
  }
}
