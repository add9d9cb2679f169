// Reductions and row-wise kernels.
import { K_ONE, kf, vexp, vlog, vsigmoid, vsoftplus } from './vmath';

@inline function f32at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
@inline function v(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << 2)); }
@inline function vput(p: usize, i: i32, x: v128): void { v128.store(p + (<usize>i << 2), x); }
@inline function hsum(x: v128): f32 {
  return (f32x4.extract_lane(x, 0) + f32x4.extract_lane(x, 1)) + (f32x4.extract_lane(x, 2) + f32x4.extract_lane(x, 3));
}
@inline function hsum64(x: v128): f64 { return f64x2.extract_lane(x, 0) + f64x2.extract_lane(x, 1); }
@inline function hiHalf(x: v128): v128 { return i32x4.shuffle(x, x, 2, 3, 2, 3); }

/** out[r, c] = x[r, c] + bias[c]; out may be x. */
export function addRowVector(x: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  const stride = <usize>cols << 2;
  if (cols == 1) {
    const b = load<f32>(bias);
    const B = f32x4.splat(b);
    const r4 = rows & ~3;
    let i = 0;
    for (; i < r4; i += 4) vput(out, i, f32x4.add(v(x, i), B));
    for (; i < rows; i++) put(out, i, f32at(x, i) + b);
    return;
  }
  for (let r = 0; r < rows; r++) {
    let c = 0;
    for (; c < c4; c += 4) vput(out, c, f32x4.add(v(x, c), v(bias, c)));
    for (; c < cols; c++) put(out, c, f32at(x, c) + f32at(bias, c));
    x += stride; out += stride;
  }
}

/** out[c] (+)= sum over r of x[r, c]. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32, accumulate: bool): void {
  if (cols == 1) {
    let s: f32 = sumVector(x, rows);
    put(out, 0, accumulate ? f32at(out, 0) + s : s);
    return;
  }
  if (!accumulate) memory.fill(out, 0, <usize>cols << 2);
  const c4 = cols & ~3;
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    let c = 0;
    for (; c < c4; c += 4) vput(out, c, f32x4.add(v(out, c), v(x, c)));
    for (; c < cols; c++) put(out, c, f32at(out, c) + f32at(x, c));
    x += stride;
  }
}

@inline function sumVector(x: usize, n: i32): f32 {
  let a = f32x4.splat(0), b = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) { a = f32x4.add(a, v(x, i)); b = f32x4.add(b, v(x, i + 4)); }
  if (i + 4 <= n) { a = f32x4.add(a, v(x, i)); i += 4; }
  let s = hsum(f32x4.add(a, b));
  for (; i < n; i++) s += f32at(x, i);
  return s;
}

/** out[r] (+)= sum over c of x[r, c]. */
export function sumCols(x: usize, out: usize, rows: i32, cols: i32, accumulate: bool): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const s = sumVector(x, cols);
    put(out, r, accumulate ? f32at(out, r) + s : s);
    x += stride;
  }
}

/** Sum of n floats in float64. */
export function sumAll(x: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const w = v(x, i);
    a = f64x2.add(a, f64x2.promote_low_f32x4(w));
    b = f64x2.add(b, f64x2.promote_low_f32x4(hiHalf(w)));
  }
  let s = hsum64(f64x2.add(a, b));
  for (; i < n; i++) s += <f64>f32at(x, i);
  return s;
}

/** Sum of squares of n floats in float64 (squares taken in float64). */
export function sumSquares(x: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const w = v(x, i);
    const lo = f64x2.promote_low_f32x4(w);
    const hi = f64x2.promote_low_f32x4(hiHalf(w));
    a = f64x2.add(a, f64x2.mul(lo, lo));
    b = f64x2.add(b, f64x2.mul(hi, hi));
  }
  let s = hsum64(f64x2.add(a, b));
  for (; i < n; i++) { const w = <f64>f32at(x, i); s += w * w; }
  return s;
}

/** out[r, :] = x[r, :] - logsumexp(x[r, :]); out may be x. */
export function logSoftmaxRows(x: usize, out: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    let mx: f32 = -Infinity;
    for (let c = 0; c < cols; c++) mx = max(mx, f32at(x, c));
    const M = f32x4.splat(mx);
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c < c4; c += 4) acc = f32x4.add(acc, vexp(f32x4.sub(v(x, c), M)));
    let s = hsum(acc);
    for (; c < cols; c++) s += Mathf.exp(f32at(x, c) - mx);
    const lse = mx + Mathf.log(s);
    const L = f32x4.splat(lse);
    c = 0;
    for (; c < c4; c += 4) vput(out, c, f32x4.sub(v(x, c), L));
    for (; c < cols; c++) put(out, c, f32at(x, c) - lse);
    x += stride; out += stride;
  }
}

/**
 * out[r] (+)= sum over c of softplus(x[r, c]), the rows x cols values never
 * stored. softplus(v) = max(v, 0) + log(1 + e^-|v|), and the logs of a row
 * are summed as the log of products: each lane multiplies up to 32 factors
 * in [1, 2] before one log, so the row costs one exp per element and one log
 * per 128. Each factor 1 + e^-|v| is rounded once (2^-24 relative), which is
 * below the float32 rounding of the sum the term joins.
 */
export function softplusRowSums(x: usize, out: usize, rows: i32, cols: i32, accumulate: bool): void {
  const stride = <usize>cols << 2;
  const c8 = cols & ~7;
  const ZERO = f32x4.splat(0);
  const ONE = kf(K_ONE);
  for (let r = 0; r < rows; r++) {
    let relu0 = ZERO, relu1 = ZERO, logs = ZERO;
    let p0 = ONE, p1 = ONE;
    let c = 0, k = 0;
    for (; c < c8; c += 8) {
      const a = v(x, c), b = v(x, c + 4);
      relu0 = f32x4.add(relu0, f32x4.pmax(a, ZERO));
      relu1 = f32x4.add(relu1, f32x4.pmax(b, ZERO));
      p0 = f32x4.mul(p0, f32x4.add(ONE, vexp(f32x4.neg(f32x4.abs(a)))));
      p1 = f32x4.mul(p1, f32x4.add(ONE, vexp(f32x4.neg(f32x4.abs(b)))));
      if (++k == 16) {
        logs = f32x4.add(logs, vlog(f32x4.mul(p0, p1)));
        p0 = ONE; p1 = ONE; k = 0;
      }
    }
    if (c + 4 <= cols) {
      const a = v(x, c);
      relu0 = f32x4.add(relu0, f32x4.pmax(a, ZERO));
      p0 = f32x4.mul(p0, f32x4.add(ONE, vexp(f32x4.neg(f32x4.abs(a)))));
      c += 4;
    }
    logs = f32x4.add(logs, vlog(f32x4.mul(p0, p1)));
    let s = hsum(f32x4.add(relu0, relu1)) + hsum(logs);
    for (; c < cols; c++) s += f32x4.extract_lane(vsoftplus(f32x4.splat(f32at(x, c))), 0);
    put(out, r, accumulate ? f32at(out, r) + s : s);
    x += stride;
  }
}

/** gx[r, c] += gRow[r] sigmoid(x[r, c]); two vectors per turn so their exp chains overlap. */
export function softplusRowSumsBackward(x: usize, gRow: usize, gx: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  const c8 = cols & ~7;
  for (let r = 0; r < rows; r++) {
    const g = f32at(gRow, r);
    const G = f32x4.splat(g);
    let c = 0;
    for (; c < c8; c += 8) {
      const s0 = vsigmoid(v(x, c));
      const s1 = vsigmoid(v(x, c + 4));
      vput(gx, c, f32x4.add(v(gx, c), f32x4.mul(G, s0)));
      vput(gx, c + 4, f32x4.add(v(gx, c + 4), f32x4.mul(G, s1)));
    }
    for (; c + 4 <= cols; c += 4) vput(gx, c, f32x4.add(v(gx, c), f32x4.mul(G, vsigmoid(v(x, c)))));
    for (; c < cols; c++) put(gx, c, f32at(gx, c) + g * f32x4.extract_lane(vsigmoid(f32x4.splat(f32at(x, c))), 0));
    x += stride; gx += stride;
  }
}
