import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../core/errors.js';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from './safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'safetensors-test-'));

test('encoding matches the format byte for byte (hand-decoded)', () => {
  const bytes = encodeSafetensors({ b: { shape: [2], data: Float32Array.of(1, -2) }, a: { shape: [1, 1], data: Float32Array.of(0.5) } }, { k: 'v' });
  const view = new DataView(bytes.buffer);
  const n = Number(view.getBigUint64(0, true));
  // Tensors sorted by name: a takes bytes [0, 4), b [4, 12).
  const json = '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}';
  const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
  assert.equal(n, padded.length);
  assert.equal(n % 8, 0);
  assert.equal(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'), padded);
  assert.equal(bytes.length, 8 + n + 12);
  assert.deepEqual([0, 4, 8].map((o) => view.getFloat32(8 + n + o, true)), [0.5, 1, -2]);
});

test('save and load round trip with metadata and expected shapes', () => {
  const path = join(dir, 'rt.safetensors');
  const w = Float32Array.from({ length: 12 }, (_, i) => i / 7);
  saveSafetensors(path, { 'net.0.weight': { shape: [3, 4], data: w }, 'net.0.bias': { shape: [3], data: Float32Array.of(1, 2, 3) } }, { step: '7' });
  const { tensors, metadata } = loadSafetensors(path, { 'net.0.weight': [3, 4], 'net.0.bias': [3] });
  assert.deepEqual(metadata, { step: '7' });
  assert.deepEqual(tensors.get('net.0.weight')!.data, w);
  assert.deepEqual(tensors.get('net.0.bias')!.shape, [3]);
});

/** Build a file from a raw header object and data length, for the error cases. */
function raw(header: unknown, dataBytes: number, headerText?: string): Uint8Array {
  const text = headerText ?? JSON.stringify(header);
  const hb = Buffer.from(text, 'utf8');
  const out = new Uint8Array(8 + hb.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  return out;
}
const entry = (shape: number[], begin: number, end: number, dtype = 'F32'): unknown => ({ dtype, shape, data_offsets: [begin, end] });

const cases: [string, Uint8Array, RegExp, Record<string, number[]>?][] = [
  ['too short', new Uint8Array(5), /file too short \(5 bytes\)/],
  ['header length past the end', (() => { const b = raw({}, 0); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), /header length 1000 runs past the end of the file \(10 bytes\)/],
  ['bad JSON', raw(null, 0, '{"a": '), /header is not valid JSON/],
  ['header not an object', raw([1], 0), /header is not a JSON object/],
  ['dtype not F32', raw({ a: entry([1], 0, 2, 'F16') }, 2), /tensor a has dtype "F16"; only F32 is supported/],
  ['bad shape', raw({ a: entry([-1] as number[], 0, 4) }, 4), /tensor a has an invalid shape \[-1\]/],
  ['offsets out of range', raw({ a: entry([2], 0, 8) }, 4), /tensor a data_offsets \[0, 8\] are outside the 4 data bytes/],
  ['shape product mismatch', raw({ a: entry([3], 0, 8) }, 8), /tensor a has shape \[3\] \(3 floats\) but 8 data bytes/],
  ['overlap', raw({ a: entry([2], 0, 8), b: entry([2], 4, 12) }, 12), /tensor b data overlaps/],
  ['gap', raw({ a: entry([1], 0, 4), b: entry([1], 8, 12) }, 12), /data bytes 4\.\.8 belong to no tensor/],
  ['trailing bytes', raw({ a: entry([1], 0, 4) }, 8), /data bytes 4\.\.8 belong to no tensor/],
  ['metadata not strings', raw({ __metadata__: { k: 1 } }, 0), /__metadata__ value for "k" is not a string/],
  ['expected shape mismatch', raw({ a: entry([2, 1], 0, 8) }, 8), /tensor a has shape \[2, 1\], expected \[1, 2\]/, { a: [1, 2] }],
  ['expected tensor missing', raw({ a: entry([1], 0, 4) }, 4), /tensor b is missing/, { b: [1] }],
];

for (const [name, bytes, pattern, expected] of cases) {
  test(`loading rejects: ${name}`, () => {
    const path = join(dir, `${name.replace(/ /g, '-')}.safetensors`);
    writeFileSync(path, bytes);
    assert.throws(() => loadSafetensors(path, expected), (err: unknown) => {
      assert.ok(isUserError(err), 'a UserError');
      const msg = (err as Error).message;
      assert.ok(msg.startsWith(`${path}: `), msg);
      assert.ok(!msg.includes('\n'), 'one line');
      assert.match(msg, pattern);
      return true;
    });
  });
}

test('loading a missing file is a UserError naming it', () => {
  assert.throws(() => loadSafetensors(join(dir, 'nope.safetensors')), /nope\.safetensors: cannot read checkpoint \(ENOENT\)/);
});

test('decode accepts the reference writer\'s layout of an unaligned buffer', () => {
  const bytes = encodeSafetensors({ x: { shape: [3], data: Float32Array.of(1, 2, 3) } });
  const shifted = new Uint8Array(bytes.length + 1).subarray(1);
  shifted.set(bytes);
  assert.deepEqual(Array.from(decodeSafetensors(shifted, 'mem').tensors.get('x')!.data), [1, 2, 3]);
});

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('an independent reader (python + numpy) decodes our file', { skip: !hasNumpy() && 'python3 with numpy not available' }, () => {
  const path = join(dir, 'np.safetensors');
  saveSafetensors(path, { w: { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6.5) }, b: { shape: [2], data: Float32Array.of(-1, 0.25) } });
  const script = [
    'import json, struct, sys, numpy as np',
    'raw = open(sys.argv[1], "rb").read()',
    'n = struct.unpack("<Q", raw[:8])[0]',
    'h = json.loads(raw[8:8 + n])',
    'out = {}',
    'for k, v in h.items():',
    '    s, e = v["data_offsets"]',
    '    out[k] = np.frombuffer(raw[8 + n + s:8 + n + e], dtype="<f4").reshape(v["shape"]).tolist()',
    'print(json.dumps(out, sort_keys=True))',
  ].join('\n');
  const got = JSON.parse(execFileSync('python3', ['-c', script, path]).toString()) as unknown;
  assert.deepEqual(got, { b: [-1, 0.25], w: [[1, 2, 3], [4, 5, 6.5]] });
  assert.ok(readFileSync(path).length > 8);
});
