/**
 * A 2-D float32 tensor (rows x cols, row-major; a batch is one row per sample,
 * a vector is 1 x n, a scalar 1 x 1) with an optional gradient and the tape
 * link (parents + backward closure) that reverse-mode autodiff walks.
 *
 * Storage: outside any `scope` a tensor owns heap memory and is always safe.
 * Inside `scope(fn)` new tensors live in the scope's scratch memory, which is
 * released when the scope ends (see ./scope.ts). Parameters (`Tensor.param`)
 * use the backend's persistent memory and carry a persistent gradient.
 */
import { allocTensorData, currentScopeId, isScopeLive } from './context.js';
import { getKernels } from './kernels/select.js';
import { backward as runBackward } from './autodiff.js';

/** Adds the output gradient of one op into its inputs' gradients. */
export type BackwardFn = () => void;

/** A 2-D tensor with optional gradient and tape link. */
export class Tensor {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** Gradient of the last `backward` root with respect to this tensor (accumulates until zeroed). */
  grad: Float32Array | null = null;
  /** Whether gradients flow to this tensor. */
  requiresGrad: boolean;
  /** Inputs of the op that produced this tensor; empty for a leaf. */
  parents: readonly Tensor[] = NO_PARENTS;
  /** The op's backward closure; null for a leaf. */
  backwardFn: BackwardFn | null = null;
  /** Scope whose scratch holds `data`; 0 for heap or persistent storage. */
  readonly scopeId: number;
  /** Name, used in error messages and checkpoints (parameters). */
  name: string;
  /** Visit stamp used by the topological sort. */
  visit = 0;

  /** Wrap existing storage (no copy). Prefer the factory functions below. */
  constructor(data: Float32Array, rows: number, cols: number, opts: { requiresGrad?: boolean; scopeId?: number; name?: string } = {}) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new RangeError(`Tensor: bad shape [${rows}, ${cols}]`);
    }
    if (data.length < rows * cols) throw new RangeError(`Tensor: ${data.length} floats cannot hold shape [${rows}, ${cols}]`);
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.requiresGrad = opts.requiresGrad ?? false;
    this.scopeId = opts.scopeId ?? 0;
    this.name = opts.name ?? '';
  }

  /** rows * cols. */
  get size(): number {
    return this.rows * this.cols;
  }

  /** "[rows, cols]" for messages. */
  get shapeString(): string {
    return `[${this.rows}, ${this.cols}]`;
  }

  /** True when the tensor's storage has not been released by a scope. */
  get isLive(): boolean {
    return isScopeLive(this.scopeId);
  }

  /** Element (r, c). */
  get(r: number, c = 0): number {
    return this.data[r * this.cols + c]!;
  }

  /** The single value of a 1 x 1 tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: tensor has shape ${this.shapeString}, expected [1, 1]`);
    return this.data[0]!;
  }

  /** A plain copy of the values, row-major. */
  toArray(): number[] {
    return Array.from(this.data.subarray(0, this.size));
  }

  /** Rows as nested arrays. */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.rows; r++) out.push(Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols)));
    return out;
  }

  /** Reverse-mode pass from this tensor (1 x 1 unless `seed`, the output gradient, is given). */
  backward(seed?: Float32Array): void {
    runBackward(this, seed);
  }

  /** Set the gradient to zero (keeps the buffer). */
  zeroGrad(): void {
    if (this.grad !== null) this.grad.fill(0);
  }

  /** The same values with no tape link, sharing storage. */
  detach(): Tensor {
    return new Tensor(this.data, this.rows, this.cols, { scopeId: this.scopeId });
  }

  /** A heap copy of the values, detached from the tape (survives any scope). */
  clone(): Tensor {
    return new Tensor(this.data.slice(0, this.size), this.rows, this.cols);
  }

  /** A trainable parameter in persistent backend memory, zero-filled, with a persistent gradient. */
  static param(rows: number, cols: number, name = ''): Tensor {
    const k = getKernels();
    const t = new Tensor(k.alloc(rows * cols), rows, cols, { requiresGrad: true, name });
    t.grad = k.alloc(rows * cols);
    return t;
  }

  /** Uninitialised tensor in the current scope's storage (internal to ops: must be fully written). */
  static empty(rows: number, cols: number): Tensor {
    return new Tensor(allocTensorData(rows * cols), rows, cols, { scopeId: currentScopeId() });
  }
}

const NO_PARENTS: readonly Tensor[] = Object.freeze([]);

/** Zero-filled tensor in the current scope's storage. */
export function zeros(rows: number, cols: number): Tensor {
  const t = Tensor.empty(rows, cols);
  t.data.fill(0, 0, rows * cols);
  return t;
}

/** Tensor filled with `value`. */
export function full(rows: number, cols: number, value: number): Tensor {
  const t = Tensor.empty(rows, cols);
  t.data.fill(value, 0, rows * cols);
  return t;
}

/** Tensor of ones. */
export function ones(rows: number, cols: number): Tensor {
  return full(rows, cols, 1);
}

/**
 * Tensor copied from values: nested rows (`[[1, 2], [3, 4]]`), or a flat list
 * with its shape. A flat list without a shape becomes a 1 x n row vector.
 */
export function tensor(values: ArrayLike<number> | readonly (readonly number[])[], rows?: number, cols?: number, opts: { requiresGrad?: boolean } = {}): Tensor {
  let flat: ArrayLike<number>;
  if (values.length > 0 && Array.isArray(values[0])) {
    const nested = values as readonly (readonly number[])[];
    rows ??= nested.length;
    cols ??= nested[0]!.length;
    const f = new Array<number>(rows * cols);
    for (let r = 0; r < rows; r++) {
      if (nested[r]!.length !== cols) throw new RangeError(`tensor: row ${r} has ${nested[r]!.length} values, expected ${cols}`);
      for (let c = 0; c < cols; c++) f[r * cols + c] = nested[r]![c]!;
    }
    flat = f;
  } else {
    flat = values as ArrayLike<number>;
    rows ??= 1;
    cols ??= flat.length / rows;
  }
  if (flat.length !== rows * cols) throw new RangeError(`tensor: ${flat.length} values do not fit shape [${rows}, ${cols}]`);
  const t = Tensor.empty(rows, cols);
  t.data.set(flat);
  t.requiresGrad = opts.requiresGrad ?? false;
  return t;
}

/** Wrap a Float32Array without copying (heap storage: the caller owns its lifetime). */
export function fromArray(data: Float32Array, rows: number, cols: number, opts: { requiresGrad?: boolean } = {}): Tensor {
  return new Tensor(data, rows, cols, { requiresGrad: opts.requiresGrad ?? false });
}
