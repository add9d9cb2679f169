import type { Random } from '../../core/random.js';

/** Field name -> floats per transition. */
export type FieldWidths = Readonly<Record<string, number>>;

/** A snapshot of a buffer's contents, for checkpoints. */
export interface ReplaySnapshot {
  readonly size: number;
  readonly next: number;
  readonly fields: Readonly<Record<string, Float32Array>>;
}

/**
 * A ring buffer of transitions stored field by field in Float32Arrays. Storage
 * grows by doubling up to `capacity`, so a 1e6-transition buffer costs memory
 * only as it fills. Sampling writes into caller-owned batch arrays and
 * allocates nothing.
 */
export class ReplayBuffer {
  readonly capacity: number;
  readonly widths: FieldWidths;
  private store: Record<string, Float32Array>;
  private allocated: number;
  private count = 0;
  private head = 0;

  constructor(capacity: number, widths: FieldWidths, initial = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ReplayBuffer: capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.widths = widths;
    this.allocated = Math.min(capacity, initial);
    this.store = {};
    for (const [name, w] of Object.entries(widths)) this.store[name] = new Float32Array(this.allocated * w);
  }

  /** Transitions held. */
  get size(): number {
    return this.count;
  }

  /** Append one transition; each field's values are copied. The oldest is overwritten when full. */
  push(values: Readonly<Record<string, ArrayLike<number> | number>>): void {
    if (this.head >= this.allocated) this.grow();
    for (const name in this.widths) {
      const w = this.widths[name]!;
      const v = values[name];
      const dst = this.store[name]!;
      if (typeof v === 'number') {
        dst[this.head * w] = v;
      } else if (v !== undefined) {
        if (v.length !== w) throw new RangeError(`ReplayBuffer.push: field ${name} has ${v.length} values, expected ${w}`);
        dst.set(v, this.head * w);
      } else {
        throw new RangeError(`ReplayBuffer.push: missing field ${name}`);
      }
    }
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Copy transition `index` (0 = oldest held) of every field into `out`. */
  get(index: number, out: Record<string, Float32Array>): void {
    const slot = this.slotOf(index);
    for (const name in this.widths) {
      const w = this.widths[name]!;
      out[name]!.set(this.store[name]!.subarray(slot * w, slot * w + w));
    }
  }

  /** Draw `batch` transitions uniformly with replacement into `out` (field -> batch * width floats); returns nothing. */
  sample(batch: number, rng: Random, out: Record<string, Float32Array>, indices?: Int32Array): void {
    if (this.count === 0) throw new RangeError('ReplayBuffer.sample: buffer is empty');
    for (let b = 0; b < batch; b++) {
      const slot = rng.int(this.count);
      if (indices) indices[b] = slot;
      for (const name in this.widths) {
        const w = this.widths[name]!;
        const src = this.store[name]!;
        const dst = out[name]!;
        // A plain loop: a subarray view per row and field costs more than the copy itself.
        for (let j = 0, s = slot * w, d = b * w; j < w; j++) dst[d + j] = src[s + j]!;
      }
    }
  }

  /** Allocate batch arrays for `sample`. */
  batchArrays(batch: number): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [name, w] of Object.entries(this.widths)) out[name] = new Float32Array(batch * w);
    return out;
  }

  /** Storage position the next `push` writes to. */
  snapshotHead(): number {
    return this.head;
  }

  /** Remove everything. */
  clear(): void {
    this.count = 0;
    this.head = 0;
  }

  /** The held transitions in storage order (for checkpoints). */
  snapshot(): ReplaySnapshot {
    const fields: Record<string, Float32Array> = {};
    for (const [name, w] of Object.entries(this.widths)) fields[name] = this.store[name]!.slice(0, this.count * w);
    return { size: this.count, next: this.head, fields };
  }

  /** Restore a snapshot taken by `snapshot` of a buffer with the same fields. */
  restore(snap: ReplaySnapshot): void {
    if (snap.size > this.capacity || snap.next >= this.capacity || snap.next < 0) {
      throw new RangeError(`ReplayBuffer.restore: snapshot of ${snap.size} transitions (next ${snap.next}) does not fit capacity ${this.capacity}`);
    }
    while (this.allocated < snap.size || this.allocated <= snap.next) this.grow();
    for (const [name, w] of Object.entries(this.widths)) {
      const src = snap.fields[name];
      if (!src || src.length !== snap.size * w) throw new RangeError(`ReplayBuffer.restore: field ${name} has the wrong length`);
      this.store[name]!.set(src);
    }
    this.count = snap.size;
    this.head = snap.next;
  }

  private slotOf(index: number): number {
    if (index < 0 || index >= this.count) throw new RangeError(`ReplayBuffer: index ${index} outside 0..${this.count - 1}`);
    return this.count < this.capacity ? index : (this.head + index) % this.capacity;
  }

  private grow(): void {
    const next = Math.min(this.capacity, this.allocated * 2);
    for (const [name, w] of Object.entries(this.widths)) {
      const bigger = new Float32Array(next * w);
      bigger.set(this.store[name]!);
      this.store[name] = bigger;
    }
    this.allocated = next;
  }
}
