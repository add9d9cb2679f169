/** The neural-network engine: tensors, autodiff, ops, layers, Adam, checkpoints. */
export { Tensor, zeros, ones, full, tensor, fromArray } from './tensor.js';
export type { BackwardFn } from './tensor.js';
export { backward } from './autodiff.js';
export { scope, noGrad, isGradEnabled } from './scope.js';
export * from './ops-elementwise.js';
export * from './ops-linalg.js';
export * from './ops-reduce.js';
export * from './ops-shape.js';
export { Linear, MLP, activate, softUpdate, copyParams, clipGradNorm, zeroGrad } from './layers.js';
export type { Module, Activation, MlpOptions } from './layers.js';
export { Adam } from './adam.js';
export type { AdamOptions, AdamState } from './adam.js';
export { encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors } from './safetensors.js';
export type { NamedArray, SafetensorsContents } from './safetensors.js';
export { saveCheckpoint, loadCheckpoint } from './checkpoint.js';
export type { CheckpointParts } from './checkpoint.js';
export { getKernels, setKernels } from './kernels/select.js';
