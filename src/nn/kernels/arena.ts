/**
 * Memory arena shared by the kernel backends: one fixed ArrayBuffer (the
 * WebAssembly memory for the SIMD backend, a plain buffer for TypeScript),
 * persistent allocations growing up from the bottom, scratch allocations
 * growing down from the top and released in stack order.
 * The buffer never grows: growing a WebAssembly memory would detach every
 * Float32Array view already handed out.
 */
export class Arena {
  readonly buffer: ArrayBuffer;
  private low: number;
  private high: number;
  private readonly top: number;

  /** `base` bytes at the bottom are reserved for the backend's own use. */
  constructor(buffer: ArrayBuffer, base = 0) {
    this.buffer = buffer;
    this.low = align(base);
    this.top = buffer.byteLength & ~63;
    this.high = this.top;
  }

  /** Zero-filled persistent storage; null when the arena is full. */
  alloc(n: number): Float32Array | null {
    const bytes = align(n * 4);
    if (this.low + bytes > this.high) return null;
    const view = new Float32Array(this.buffer, this.low, n);
    this.low += bytes;
    view.fill(0);
    return view;
  }

  /** Scratch storage (contents undefined); null when the arena is full. */
  allocScratch(n: number): Float32Array | null {
    const bytes = align(n * 4);
    if (this.high - bytes < this.low) return null;
    this.high -= bytes;
    return new Float32Array(this.buffer, this.high, n);
  }

  /** Current scratch position. */
  mark(): number {
    return this.high;
  }

  /** Release all scratch allocated after `mark`. */
  release(mark: number): void {
    if (mark < this.high || mark > this.top) throw new RangeError(`Arena.release: mark ${mark} is not an open scratch mark`);
    this.high = mark;
  }

  /** Bytes still free between the two ends. */
  freeBytes(): number {
    return this.high - this.low;
  }
}

/** Round up to 64 bytes (a cache line; keeps SIMD loads aligned). */
function align(bytes: number): number {
  return (bytes + 63) & ~63;
}
