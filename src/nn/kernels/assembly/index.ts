// Entry point of the WebAssembly SIMD kernels (compiled by scripts/build-wasm.js).
// Every pointer is a byte offset into the imported memory; the JS side
// (../wasm-kernels.ts) owns all allocation.
export { gemm, gemmScratchBytes } from './gemm';
export { unary, unaryBackward, binary, axpy, mulAcc, fill, adam } from './elementwise';
export { addRowVector, sumRows, sumCols, sumAll, sumSquares, logSoftmaxRows, softplusRowSums, softplusRowSumsBackward } from './reduce';

/** First byte the JS arena may use: everything below holds the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}
