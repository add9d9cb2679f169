/**
 * The safetensors format (https://github.com/huggingface/safetensors), F32
 * only: 8-byte little-endian header length N, N bytes of JSON header
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {..} }`
 * padded with spaces to a multiple of 8, then the raw little-endian data.
 * Tensors are laid out sorted by name, as the reference writer does for one dtype.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';

/** One named array with its shape. */
export interface NamedArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Contents of a safetensors file. */
export interface SafetensorsContents {
  readonly tensors: Map<string, NamedArray>;
  readonly metadata: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function product(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

/** Serialise arrays (and optional string metadata) to safetensors bytes. */
export function encodeSafetensors(tensors: ReadonlyMap<string, NamedArray> | Record<string, NamedArray>, metadata: Record<string, string> = {}): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))] as [string, NamedArray][];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new RangeError('encodeSafetensors: "__metadata__" is reserved');
    const n = product(t.shape);
    if (t.data.length !== n) throw new RangeError(`encodeSafetensors: tensor ${name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: t.shape.slice(), data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  const headerBytes = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - (headerBytes % 8)) % 8);
  const hb = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + hb.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let pos = 8 + hb.length;
  for (const [, t] of entries) {
    if (LITTLE_ENDIAN) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length * 4), pos);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + 4 * i, t.data[i]!, true);
    pos += t.data.length * 4;
  }
  return out;
}

/** Write a safetensors file atomically. */
export function saveSafetensors(path: string, tensors: ReadonlyMap<string, NamedArray> | Record<string, NamedArray>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Read and validate a safetensors file; `expected` maps names to required shapes. Problems are one-line UserErrors. */
export function loadSafetensors(path: string, expected?: Record<string, readonly number[]>): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read checkpoint (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return decodeSafetensors(bytes, path, expected);
}

/** Parse safetensors bytes; `label` names the source in error messages. */
export function decodeSafetensors(bytes: Uint8Array, label: string, expected?: Record<string, readonly number[]>): SafetensorsContents {
  const fail = (problem: string): never => {
    throw new UserError(`${label}: ${problem}`);
  };
  if (bytes.length < 8) fail(`file too short (${bytes.length} bytes) to hold a safetensors header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(bytes.length - 8)) fail(`header length ${headerLen} runs past the end of the file (${bytes.length} bytes); the file is truncated or not safetensors`);
  const n = Number(headerLen);
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8'));
  } catch {
    fail('header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');

  const metadata: Record<string, string> = {};
  const spans: { name: string; begin: number; end: number }[] = [];
  const tensors = new Map<string, NamedArray>();
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value for "${k}" is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (info === null || typeof info !== 'object') fail(`entry for tensor ${name} is not an object`);
    const { dtype, shape, data_offsets: offs } = info!;
    if (dtype !== 'F32') fail(`tensor ${name} has dtype ${JSON.stringify(dtype)}; only F32 is supported`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor ${name} has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor ${name} has invalid data_offsets ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    if (begin > end || end > dataLen) fail(`tensor ${name} data_offsets [${begin}, ${end}] are outside the ${dataLen} data bytes`);
    const count = product(shape as number[]);
    if (end - begin !== 4 * count) fail(`tensor ${name} has shape [${(shape as number[]).join(', ')}] (${count} floats) but ${end - begin} data bytes`);
    spans.push({ name, begin, end });
    tensors.set(name, { shape: (shape as number[]).slice(), data: readF32(bytes, dataStart + begin, count) });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of spans) {
    if (s.begin < covered) fail(`tensor ${s.name} data overlaps the previous tensor's`);
    if (s.begin > covered) fail(`data bytes ${covered}..${s.begin} belong to no tensor`);
    covered = s.end;
  }
  if (covered !== dataLen) fail(`data bytes ${covered}..${dataLen} belong to no tensor`);

  if (expected !== undefined) {
    for (const [name, shape] of Object.entries(expected)) {
      const t = tensors.get(name);
      if (t === undefined) fail(`tensor ${name} is missing`);
      if (t!.shape.length !== shape.length || t!.shape.some((d, i) => d !== shape[i])) {
        fail(`tensor ${name} has shape [${t!.shape.join(', ')}], expected [${shape.join(', ')}]`);
      }
    }
  }
  return { tensors, metadata };
}

function readF32(bytes: Uint8Array, pos: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(pos, pos + 4 * count));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(pos + 4 * i, true);
  }
  return out;
}
