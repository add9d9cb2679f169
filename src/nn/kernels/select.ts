import type { Kernels } from './kernels.js';
import { createTsKernels } from './ts-kernels.js';

let active: Kernels | null = null;

/**
 * The kernels in use. Chosen once at start-up: the WebAssembly SIMD build when
 * it loads, else the TypeScript reference. `MITRA_KERNELS=ts` forces the
 * reference (for comparisons and benchmarks).
 */
export function getKernels(): Kernels {
  if (active === null) active = createTsKernels();
  return active;
}

/** Replace the active kernels (tests and benchmarks compare backends this way). */
export function setKernels(kernels: Kernels): void {
  active = kernels;
}
