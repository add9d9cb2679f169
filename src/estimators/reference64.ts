/**
 * Plain float64 re-implementations of the pieces the estimators are built
 * from, for their tests: independent of the engine's kernels and tape.
 */
import type { Linear } from '../nn/layers.js';
import type { Tensor } from '../nn/tensor.js';

/** Row-major float64 matrix. */
export interface Mat64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A float64 copy of a tensor. */
export function toMat64(t: Tensor): Mat64 {
  return { rows: t.rows, cols: t.cols, data: Float64Array.from(t.data.subarray(0, t.size)) };
}

/** x W^T + b with the layer's current weights, in float64. */
export function linear64(x: Mat64, layer: Linear): Mat64 {
  const { rows } = x;
  const nIn = layer.inFeatures;
  const nOut = layer.outFeatures;
  if (x.cols !== nIn) throw new RangeError(`linear64: ${x.cols} columns for a layer of ${nIn} inputs`);
  const w = layer.weight.data;
  const b = layer.bias?.data;
  const out = new Float64Array(rows * nOut);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < nOut; o++) {
      let s = b === undefined ? 0 : b[o]!;
      for (let i = 0; i < nIn; i++) s += x.data[r * nIn + i]! * w[o * nIn + i]!;
      out[r * nOut + o] = s;
    }
  }
  return { rows, cols: nOut, data: out };
}

/** f applied to every element. */
export function map64(x: Mat64, f: (v: number) => number): Mat64 {
  return { rows: x.rows, cols: x.cols, data: x.data.map(f) };
}

/** log(1 + e^v), stable. */
export function softplus64(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** v * sigmoid(v). */
export function silu64(v: number): number {
  return v / (1 + Math.exp(-v));
}

/** Leaky ReLU with slope 0.01 below zero. */
export function leaky64(v: number): number {
  return v > 0 ? v : 0.01 * v;
}

/** max(v, 0). */
export function relu64(v: number): number {
  return v > 0 ? v : 0;
}
