import { UserError } from '../../core/errors.js';
import type { Kernels } from './kernels.js';
import { createTsKernels } from './ts-kernels.js';
import { createWasmKernels } from './wasm-kernels.js';

/** Names accepted by `kernelsByName` and the MITRA_KERNELS environment variable. */
export type KernelsName = 'ts' | 'wasm';

let active: Kernels | null = null;
const cache = new Map<KernelsName, Kernels | null>();

/** One instance per backend per process (the wasm one owns a large fixed memory). */
function load(name: KernelsName): Kernels | null {
  if (!cache.has(name)) cache.set(name, name === 'ts' ? createTsKernels() : createWasmKernels());
  return cache.get(name) ?? null;
}

/**
 * The kernels named: `ts` (the reference, always available) or `wasm`
 * (null when build/kernels.wasm is missing or WebAssembly SIMD is unsupported).
 */
export function kernelsByName(name: KernelsName): Kernels | null {
  return load(name);
}

/**
 * The kernels in use. Chosen once at start-up: the WebAssembly SIMD build when
 * it loads, else the TypeScript reference. `MITRA_KERNELS=ts` forces the
 * reference (for comparisons and benchmarks); `MITRA_KERNELS=wasm` requires
 * the SIMD build.
 */
export function getKernels(): Kernels {
  if (active === null) active = choose(process.env['MITRA_KERNELS']);
  return active;
}

function choose(requested: string | undefined): Kernels {
  switch (requested) {
    case undefined:
    case '':
      return load('wasm') ?? load('ts')!;
    case 'ts':
      return load('ts')!;
    case 'wasm': {
      const k = load('wasm');
      if (k === null) throw new UserError('MITRA_KERNELS=wasm but build/kernels.wasm is missing or WebAssembly SIMD is unsupported; run `npm run build:wasm` or unset MITRA_KERNELS');
      return k;
    }
    default:
      throw new UserError(`MITRA_KERNELS=${requested} is not a kernel backend; use ts or wasm`);
  }
}

/** Replace the active kernels (tests and benchmarks compare backends this way). */
export function setKernels(kernels: Kernels): void {
  active = kernels;
}
