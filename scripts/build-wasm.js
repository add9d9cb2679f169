// Compiles the AssemblyScript kernels (src/nn/kernels/assembly/) to
// build/kernels.wasm with the compiler from node_modules. Skips the compile
// when the output is newer than every source and this script.
// Usage: node scripts/build-wasm.js [--force]
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src', 'nn', 'kernels', 'assembly');
const entry = join(srcDir, 'index.ts');
const outFile = join(root, 'build', 'kernels.wasm');

// Memory is imported so the JS side can make it a fixed size (it must never
// grow: growing detaches every Float32Array view). The stub runtime is enough
// because the kernels never allocate.
const FLAGS = [
  '--outFile', outFile,
  '--optimizeLevel', '3', '--shrinkLevel', '0',
  '--runtime', 'stub',
  '--enable', 'simd',
  '--importMemory',
  '--noAssert',
  '--uncheckedBehavior', 'always',
];

function fail(message) {
  console.error(`build-wasm: ${message}`);
  process.exit(1);
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

if (!existsSync(entry)) fail(`missing ${relative(root, entry)}`);
const inputs = [...sources(srcDir), fileURLToPath(import.meta.url)];
const force = process.argv.includes('--force');
if (!force && existsSync(outFile)) {
  const built = statSync(outFile).mtimeMs;
  if (inputs.every((f) => statSync(f).mtimeMs < built)) {
    console.log(`build-wasm: ${relative(root, outFile)} is up to date`);
    process.exit(0);
  }
}

let asc;
try {
  asc = (await import('assemblyscript/asc')).default;
} catch {
  fail('the AssemblyScript compiler is not installed; run `npm ci` (it is a devDependency)');
}
mkdirSync(dirname(outFile), { recursive: true });
const log = [];
const sink = { write: (chunk) => { log.push(String(chunk)); return true; } };
const { error } = await asc.main([relative(process.cwd(), entry), ...FLAGS], { stdout: sink, stderr: sink });
if (error) {
  process.stderr.write(log.join(''));
  fail(`compiling ${relative(root, srcDir)} failed: ${error.message}`);
}
console.log(`build-wasm: wrote ${relative(root, outFile)} (${statSync(outFile).size} bytes)`);
