import { Tensor } from '../../nn/tensor.js';

/** Copy sampled batch arrays into tensors of the current memory scope (the kernels' fast path). */
export function batchTensors(arrays: Record<string, Float32Array>, rows: number): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, data] of Object.entries(arrays)) {
    const t = Tensor.empty(rows, data.length / rows);
    t.data.set(data);
    out[name] = t;
  }
  return out;
}
