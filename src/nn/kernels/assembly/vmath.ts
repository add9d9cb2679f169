// Vectorised exp / tanh / sigmoid / log / log1p / softplus (Cephes
// single-precision formulations: about 2 ulp, well inside the 1e-6 relative
// the kernels promise).
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
  T0 = 15, T1 = 16, T2 = 17, T3 = 18, T4 = 19, TANH_SPLIT = 20, TWO = 21, HALF = 22,
  L0 = 23, L1 = 24, L2 = 25, L3 = 26, L4 = 27, L5 = 28, L6 = 29, L7 = 30, L8 = 31,
  SQRTHF = 32, SQRT2M1 = 33, MIN_NORMAL = 34, TWO25 = 35, NEG_INF = 36, NAN = 37, ZERO = 38;
const TABLE: usize = memory.data<f32>([
  1.44269504088896341, 0.693359375, -2.12194440e-4, EXP_LO, 88.3762626647949,
  // 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits
  12582912.0,
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
  1.0, Infinity, EXP_HI,
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1,
  0.625, 2.0, 0.5,
  // log(1 + x) ~ x - x^2/2 + x^3 P(x) on [sqrt(1/2) - 1, sqrt(2) - 1] (Cephes logf)
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
  0.707106781186547524, 0.41421356237309505, 1.17549435e-38, 33554432.0, -Infinity, NaN, 0.0,
], 16);
/** Integer constants: the float32 exponent bias, the sign bit, the mantissa mask, the exponent of 0.5 and 126 + 25. */
const ITABLE: usize = memory.data<i32>([127, 0x80000000, 0x807fffff, 0x3f000000, 126, 151], 16);

/** Constant i of TABLE in every lane. */
@inline export function kf(i: i32): v128 { return v128.load32_splat(TABLE + (<usize>i << 2)); }
@inline function bias127(): v128 { return v128.load32_splat(ITABLE); }
/** The sign bit in every lane. */
@inline export function signMask(): v128 { return v128.load32_splat(ITABLE, 4); }
@inline function ki(i: i32): v128 { return v128.load32_splat(ITABLE + (<usize>i << 2)); }
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

/**
 * log(1 + x) - x + x^2 / 2 ... the Cephes core: given x in [sqrt(1/2) - 1, sqrt(2) - 1]
 * and an integer-valued float e, returns x + e log 2 + (log(1 + x) - x).
 */
@inline function logCore(x: v128, e: v128): v128 {
  const z = f32x4.mul(x, x);
  let y = kf(L0);
  y = f32x4.add(f32x4.mul(y, x), kf(L1));
  y = f32x4.add(f32x4.mul(y, x), kf(L2));
  y = f32x4.add(f32x4.mul(y, x), kf(L3));
  y = f32x4.add(f32x4.mul(y, x), kf(L4));
  y = f32x4.add(f32x4.mul(y, x), kf(L5));
  y = f32x4.add(f32x4.mul(y, x), kf(L6));
  y = f32x4.add(f32x4.mul(y, x), kf(L7));
  y = f32x4.add(f32x4.mul(y, x), kf(L8));
  y = f32x4.mul(f32x4.mul(y, x), z);
  y = f32x4.add(y, f32x4.mul(e, kf(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, kf(HALF)));
  return f32x4.add(f32x4.add(x, y), f32x4.mul(e, kf(LN2_HI)));
}

/** Natural log per lane: -inf at 0, NaN below 0 and for NaN, +inf at +inf; subnormals are exact-scaled first. */
@inline export function vlog(x: v128): v128 {
  // Subnormal (and non-positive) inputs: scale by 2^25 so the exponent field is exact.
  const sub = f32x4.lt(x, kf(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, kf(TWO25)), x, sub);
  // x = m 2^e with m in [0.5, 1): e from the exponent field, m with it replaced by 126's.
  const bias = v128.bitselect(ki(5), ki(4), sub); // 126 (+ 25 when scaled)
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(xs, 23), bias));
  let m = v128.or(v128.and(xs, ki(2)), ki(3));
  // m < sqrt(1/2): use 2m - 1 and e - 1, so the polynomial's argument stays in [-0.29, 0.41].
  const lo = f32x4.lt(m, kf(SQRTHF));
  e = f32x4.sub(e, v128.and(kf(ONE), lo));
  m = f32x4.sub(f32x4.add(m, v128.and(m, lo)), kf(ONE));
  let r = logCore(m, e);
  r = v128.bitselect(kf(NEG_INF), r, f32x4.eq(x, kf(ZERO)));
  r = v128.bitselect(kf(NAN), r, f32x4.lt(x, kf(ZERO)));
  // +inf and NaN come back as themselves (x < inf is false for both).
  return v128.bitselect(r, x, f32x4.lt(x, kf(INF)));
}

/**
 * log(1 + t) per lane for t in [0, 1] (what softplus needs), without losing
 * the low bits of a small t: below sqrt(2) - 1 the polynomial takes t itself,
 * above it (1 + t) / 2 - 1 = (t - 1) / 2 with one more log 2.
 */
@inline function vlog1pUnit(t: v128): v128 {
  const big = f32x4.ge(t, kf(SQRT2M1));
  const x = v128.bitselect(f32x4.mul(f32x4.sub(t, kf(ONE)), kf(HALF)), t, big);
  return logCore(x, v128.and(kf(ONE), big));
}

/** softplus(x) = max(x, 0) + log1p(exp(-|x|)) per lane; NaN in, NaN out. */
@inline export function vsoftplus(x: v128): v128 {
  const t = vexp(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.add(f32x4.pmax(x, kf(ZERO)), vlog1pUnit(t));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}
