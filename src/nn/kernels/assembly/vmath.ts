// Vectorised exp / tanh / sigmoid (Cephes single-precision formulations:
// about 2 ulp, well inside the 1e-6 relative the kernels promise).
//
// Constants come from a table in memory, not v128.const: V8 (Node 20) builds
// each v128.const with a four-instruction sequence every time round a loop,
// while a splatting load from memory is one instruction. Binaryen cannot fold
// the loads back into constants because the memory is imported.

const EXP_HI: f32 = 88.7228391; // exp overflows float32 above this
const EXP_LO: f32 = -87.3365447; // exp is below the smallest normal here; flushed to 0

/** Index into TABLE (in floats) of each constant. */
const LOG2E = 0, LN2_HI = 1, LN2_LO = 2, CLAMP_LO = 3, CLAMP_HI = 4, ROUNDER = 5,
  E0 = 6, E1 = 7, E2 = 8, E3 = 9, E4 = 10, E5 = 11, ONE = 12, INF = 13, OVER = 14,
  T0 = 15, T1 = 16, T2 = 17, T3 = 18, T4 = 19, TANH_SPLIT = 20, TWO = 21, HALF = 22;
const TABLE: usize = memory.data<f32>([
  1.44269504088896341, 0.693359375, -2.12194440e-4, EXP_LO, 88.3762626647949,
  // 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits
  12582912.0,
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
  1.0, Infinity, EXP_HI,
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1,
  0.625, 2.0, 0.5,
], 16);
/** Integer constants: the float32 exponent bias and the sign bit. */
const ITABLE: usize = memory.data<i32>([127, 0x80000000], 16);

/** Constant i of TABLE in every lane. */
@inline export function kf(i: i32): v128 { return v128.load32_splat(TABLE + (<usize>i << 2)); }
@inline function bias127(): v128 { return v128.load32_splat(ITABLE); }
/** The sign bit in every lane. */
@inline export function signMask(): v128 { return v128.load32_splat(ITABLE, 4); }
/** Named indices for callers. */
export const K_ONE = ONE, K_TWO = TWO, K_HALF = HALF;

/** e^x per lane. */
@inline export function vexp(x: v128): v128 {
  // pmin/pmax are single instructions on x64; a NaN x is patched back at the end.
  const xc = f32x4.pmin(f32x4.pmax(x, kf(CLAMP_LO)), kf(CLAMP_HI));
  // n = round(x log2 e) without nearest/trunc_sat (slow sequences on x64):
  // t's low mantissa bits are n in two's complement, so (bits(t) + 127) << 23
  // is the float 2^n once the high bits are shifted out.
  const t = f32x4.add(f32x4.mul(xc, kf(LOG2E)), kf(ROUNDER));
  const fx = f32x4.sub(t, kf(ROUNDER));
  let r = f32x4.sub(xc, f32x4.mul(fx, kf(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, kf(LN2_LO)));
  let y = kf(E0);
  y = f32x4.add(f32x4.mul(y, r), kf(E1));
  y = f32x4.add(f32x4.mul(y, r), kf(E2));
  y = f32x4.add(f32x4.mul(y, r), kf(E3));
  y = f32x4.add(f32x4.mul(y, r), kf(E4));
  y = f32x4.add(f32x4.mul(y, r), kf(E5));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), kf(ONE));
  const pow2 = i32x4.shl(i32x4.add(t, bias127()), 23);
  y = f32x4.mul(y, pow2);
  y = v128.bitselect(kf(INF), y, f32x4.gt(x, kf(OVER)));
  y = v128.andnot(y, f32x4.lt(x, kf(CLAMP_LO)));
  // NaN in, NaN out (the clamps above would have turned it into a number).
  return v128.bitselect(x, y, f32x4.ne(x, x));
}

/** 1 / (1 + e^-x) per lane. */
@inline export function vsigmoid(x: v128): v128 {
  const one = kf(ONE);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

/** tanh per lane: odd polynomial near 0 (where 1 - 2/(e^2x + 1) cancels), exp form elsewhere. */
@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = kf(T0);
  p = f32x4.add(f32x4.mul(p, z), kf(T1));
  p = f32x4.add(f32x4.mul(p, z), kf(T2));
  p = f32x4.add(f32x4.mul(p, z), kf(T3));
  p = f32x4.add(f32x4.mul(p, z), kf(T4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = vexp(f32x4.add(ax, ax));
  let big = f32x4.sub(kf(ONE), f32x4.div(kf(TWO), f32x4.add(e, kf(ONE))));
  // copy the sign of x onto |tanh|
  big = v128.or(big, v128.and(x, signMask()));
  return v128.bitselect(small, big, f32x4.lt(ax, kf(TANH_SPLIT)));
}
