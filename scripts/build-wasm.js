// Placeholder until the AssemblyScript kernels land: compiles nothing.
console.log('build-wasm: no AssemblyScript sources yet');
