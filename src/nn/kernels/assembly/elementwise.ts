// Elementwise kernels: four lanes at a time, a scalar tail for the rest.
// Op codes match `Unary` and `Binary` in ../kernels.ts.
import { K_HALF, K_ONE, K_TWO, kf, signMask, vexp, vlog, vsigmoid, vsoftplus, vtanh } from './vmath';

@inline function f32at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
@inline function v(p: usize, i: i32): v128 { return v128.load(p + (<usize>i << 2)); }
@inline function vput(p: usize, i: i32, x: v128): void { v128.store(p + (<usize>i << 2), x); }

/** Scalar versions used for the tails: one lane through the vector code keeps them identical. */
@inline function s1(x: f32): v128 { return f32x4.splat(x); }
@inline function l0(x: v128): f32 { return f32x4.extract_lane(x, 0); }

@inline function sigmoidScalar(x: f32): f32 { return l0(vsigmoid(s1(x))); }

/** out[i] = f(x[i]); out may be x. */
export function unary(op: i32, x: usize, out: usize, n: i32, param: f32): void {
  // The transcendental ops take two vectors per turn: their long dependency
  // chains then overlap in the out-of-order window (about 25% faster on x64).
  const n8 = n & ~7;
  const n4 = n & ~3;
  let i = 0;
  const P = f32x4.splat(param);
  const Z = f32x4.splat(0);
  switch (op) {
    case 0: // relu
      for (; i < n4; i += 4) vput(out, i, f32x4.max(v(x, i), Z));
      for (; i < n; i++) { const a = f32at(x, i); put(out, i, a > 0 ? a : 0); }
      break;
    case 1: // leaky relu
      for (; i < n4; i += 4) { const a = v(x, i); vput(out, i, v128.bitselect(a, f32x4.mul(a, P), f32x4.gt(a, Z))); }
      for (; i < n; i++) { const a = f32at(x, i); put(out, i, a > 0 ? a : a * param); }
      break;
    case 2: // tanh
      for (; i < n8; i += 8) { const a = vtanh(v(x, i)); const b = vtanh(v(x, i + 4)); vput(out, i, a); vput(out, i + 4, b); }
      for (; i < n4; i += 4) vput(out, i, vtanh(v(x, i)));
      for (; i < n; i++) put(out, i, l0(vtanh(s1(f32at(x, i)))));
      break;
    case 3: // sigmoid
      for (; i < n8; i += 8) { const a = vsigmoid(v(x, i)); const b = vsigmoid(v(x, i + 4)); vput(out, i, a); vput(out, i + 4, b); }
      for (; i < n4; i += 4) vput(out, i, vsigmoid(v(x, i)));
      for (; i < n; i++) put(out, i, sigmoidScalar(f32at(x, i)));
      break;
    case 4: // silu
      for (; i < n8; i += 8) {
        const a = v(x, i), b = v(x, i + 4);
        const sa = f32x4.mul(a, vsigmoid(a)), sb = f32x4.mul(b, vsigmoid(b));
        vput(out, i, sa); vput(out, i + 4, sb);
      }
      for (; i < n4; i += 4) { const a = v(x, i); vput(out, i, f32x4.mul(a, vsigmoid(a))); }
      for (; i < n; i++) { const a = f32at(x, i); put(out, i, a * sigmoidScalar(a)); }
      break;
    case 5: // softplus = max(x, 0) + log1p(exp(-|x|))
      for (; i < n8; i += 8) { const a = vsoftplus(v(x, i)); const b = vsoftplus(v(x, i + 4)); vput(out, i, a); vput(out, i + 4, b); }
      for (; i < n4; i += 4) vput(out, i, vsoftplus(v(x, i)));
      for (; i < n; i++) put(out, i, l0(vsoftplus(s1(f32at(x, i)))));
      break;
    case 6: // exp
      for (; i < n8; i += 8) { const a = vexp(v(x, i)); const b = vexp(v(x, i + 4)); vput(out, i, a); vput(out, i + 4, b); }
      for (; i < n4; i += 4) vput(out, i, vexp(v(x, i)));
      for (; i < n; i++) put(out, i, l0(vexp(s1(f32at(x, i)))));
      break;
    case 7: // log
      for (; i < n8; i += 8) { const a = vlog(v(x, i)); const b = vlog(v(x, i + 4)); vput(out, i, a); vput(out, i + 4, b); }
      for (; i < n4; i += 4) vput(out, i, vlog(v(x, i)));
      for (; i < n; i++) put(out, i, l0(vlog(s1(f32at(x, i)))));
      break;
    case 8: // square
      for (; i < n4; i += 4) { const a = v(x, i); vput(out, i, f32x4.mul(a, a)); }
      for (; i < n; i++) { const a = f32at(x, i); put(out, i, a * a); }
      break;
    case 9: // neg
      for (; i < n4; i += 4) vput(out, i, f32x4.neg(v(x, i)));
      for (; i < n; i++) put(out, i, -f32at(x, i));
      break;
    case 10: // add scalar
      for (; i < n4; i += 4) vput(out, i, f32x4.add(v(x, i), P));
      for (; i < n; i++) put(out, i, f32at(x, i) + param);
      break;
    case 11: // mul scalar
      for (; i < n4; i += 4) vput(out, i, f32x4.mul(v(x, i), P));
      for (; i < n; i++) put(out, i, f32at(x, i) * param);
      break;
    case 12: // abs
      for (; i < n4; i += 4) vput(out, i, f32x4.abs(v(x, i)));
      for (; i < n; i++) put(out, i, Mathf.abs(f32at(x, i)));
      break;
    case 13: // sqrt
      for (; i < n4; i += 4) vput(out, i, f32x4.sqrt(v(x, i)));
      for (; i < n; i++) put(out, i, Mathf.sqrt(f32at(x, i)));
      break;
    default: unreachable();
  }
}

/** gx[i] += gy[i] * f'(x[i]), using whichever of x and y = f(x) is cheaper. */
export function unaryBackward(op: i32, x: usize, y: usize, gy: usize, gx: usize, n: i32, param: f32): void {
  const n8 = n & ~7;
  const n4 = n & ~3;
  let i = 0;
  const P = f32x4.splat(param);
  const Z = f32x4.splat(0);
  const ONE = kf(K_ONE);
  switch (op) {
    case 0: // relu: gy where x > 0
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), v128.and(v(gy, i), f32x4.gt(v(x, i), Z))));
      for (; i < n; i++) if (f32at(x, i) > 0) put(gx, i, f32at(gx, i) + f32at(gy, i));
      break;
    case 1: { // leaky relu
      for (; i < n4; i += 4) {
        const g = v(gy, i);
        vput(gx, i, f32x4.add(v(gx, i), v128.bitselect(g, f32x4.mul(g, P), f32x4.gt(v(x, i), Z))));
      }
      for (; i < n; i++) { const g = f32at(gy, i); put(gx, i, f32at(gx, i) + (f32at(x, i) > 0 ? g : g * param)); }
      break;
    }
    case 2: // tanh: gy (1 - y^2)
      for (; i < n4; i += 4) { const t = v(y, i); vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), f32x4.sub(ONE, f32x4.mul(t, t))))); }
      for (; i < n; i++) { const t = f32at(y, i); put(gx, i, f32at(gx, i) + f32at(gy, i) * (1 - t * t)); }
      break;
    case 3: // sigmoid: gy y (1 - y)
      for (; i < n4; i += 4) { const s = v(y, i); vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(f32x4.mul(v(gy, i), s), f32x4.sub(ONE, s)))); }
      for (; i < n; i++) { const s = f32at(y, i); put(gx, i, f32at(gx, i) + f32at(gy, i) * s * (1 - s)); }
      break;
    case 4: // silu: gy s (1 + x (1 - s)), s = sigmoid(x)
      for (; i < n8; i += 8) {
        const a = v(x, i), b = v(x, i + 4);
        const sa = vsigmoid(a), sb = vsigmoid(b);
        const da = f32x4.mul(sa, f32x4.add(ONE, f32x4.mul(a, f32x4.sub(ONE, sa))));
        const db = f32x4.mul(sb, f32x4.add(ONE, f32x4.mul(b, f32x4.sub(ONE, sb))));
        vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), da)));
        vput(gx, i + 4, f32x4.add(v(gx, i + 4), f32x4.mul(v(gy, i + 4), db)));
      }
      for (; i < n4; i += 4) {
        const a = v(x, i);
        const s = vsigmoid(a);
        const d = f32x4.mul(s, f32x4.add(ONE, f32x4.mul(a, f32x4.sub(ONE, s))));
        vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), d)));
      }
      for (; i < n; i++) { const a = f32at(x, i); const s = sigmoidScalar(a); put(gx, i, f32at(gx, i) + f32at(gy, i) * s * (1 + a * (1 - s))); }
      break;
    case 5: // softplus: gy sigmoid(x)
      for (; i < n8; i += 8) {
        const sa = vsigmoid(v(x, i)), sb = vsigmoid(v(x, i + 4));
        vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), sa)));
        vput(gx, i + 4, f32x4.add(v(gx, i + 4), f32x4.mul(v(gy, i + 4), sb)));
      }
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), vsigmoid(v(x, i)))));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + f32at(gy, i) * sigmoidScalar(f32at(x, i)));
      break;
    case 6: // exp: gy y
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), v(y, i))));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + f32at(gy, i) * f32at(y, i));
      break;
    case 7: // log: gy / x
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.div(v(gy, i), v(x, i))));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + f32at(gy, i) / f32at(x, i));
      break;
    case 8: { // square: 2 gy x
      const TWO = kf(K_TWO);
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(f32x4.mul(TWO, v(gy, i)), v(x, i))));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + 2 * f32at(gy, i) * f32at(x, i));
      break;
    }
    case 9: // neg
      for (; i < n4; i += 4) vput(gx, i, f32x4.sub(v(gx, i), v(gy, i)));
      for (; i < n; i++) put(gx, i, f32at(gx, i) - f32at(gy, i));
      break;
    case 10: // add scalar
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), v(gy, i)));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + f32at(gy, i));
      break;
    case 11: // mul scalar
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), P)));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + f32at(gy, i) * param);
      break;
    case 12: { // abs: gy sign(x), 0 at x = 0
      for (; i < n4; i += 4) {
        const a = v(x, i);
        const g = v(gy, i);
        const signed = v128.xor(g, v128.and(a, signMask()));
        vput(gx, i, f32x4.add(v(gx, i), v128.and(signed, f32x4.ne(a, Z))));
      }
      for (; i < n; i++) { const a = f32at(x, i); if (a != 0) put(gx, i, f32at(gx, i) + (a > 0 ? f32at(gy, i) : -f32at(gy, i))); }
      break;
    }
    case 13: { // sqrt: gy / (2 y)
      const HALF = kf(K_HALF);
      for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.div(f32x4.mul(HALF, v(gy, i)), v(y, i))));
      for (; i < n; i++) put(gx, i, f32at(gx, i) + (0.5 * f32at(gy, i)) / f32at(y, i));
      break;
    }
    default: unreachable();
  }
}

/** out[i] = a[i] op b[i]; out may be a or b. */
export function binary(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  switch (op) {
    case 0:
      for (; i < n4; i += 4) vput(out, i, f32x4.add(v(a, i), v(b, i)));
      for (; i < n; i++) put(out, i, f32at(a, i) + f32at(b, i));
      break;
    case 1:
      for (; i < n4; i += 4) vput(out, i, f32x4.sub(v(a, i), v(b, i)));
      for (; i < n; i++) put(out, i, f32at(a, i) - f32at(b, i));
      break;
    case 2:
      for (; i < n4; i += 4) vput(out, i, f32x4.mul(v(a, i), v(b, i)));
      for (; i < n; i++) put(out, i, f32at(a, i) * f32at(b, i));
      break;
    case 3:
      for (; i < n4; i += 4) vput(out, i, f32x4.div(v(a, i), v(b, i)));
      for (; i < n; i++) put(out, i, f32at(a, i) / f32at(b, i));
      break;
    case 4: // min as u < v ? u : v (pmin is exactly that, b < a ? b : a, up to ties)
      for (; i < n4; i += 4) { const u = v(a, i), w = v(b, i); vput(out, i, v128.bitselect(u, w, f32x4.lt(u, w))); }
      for (; i < n; i++) { const u = f32at(a, i), w = f32at(b, i); put(out, i, u < w ? u : w); }
      break;
    case 5:
      for (; i < n4; i += 4) { const u = v(a, i), w = v(b, i); vput(out, i, v128.bitselect(u, w, f32x4.gt(u, w))); }
      for (; i < n; i++) { const u = f32at(a, i), w = f32at(b, i); put(out, i, u > w ? u : w); }
      break;
    default: unreachable();
  }
}

/** y[i] += alpha x[i]. */
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  const A = f32x4.splat(alpha);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) vput(y, i, f32x4.add(v(y, i), f32x4.mul(A, v(x, i))));
  for (; i < n; i++) put(y, i, f32at(y, i) + alpha * f32at(x, i));
}

/** gx[i] += gy[i] b[i]. */
export function mulAcc(gy: usize, b: usize, gx: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) vput(gx, i, f32x4.add(v(gx, i), f32x4.mul(v(gy, i), v(b, i))));
  for (; i < n; i++) put(gx, i, f32at(gx, i) + f32at(gy, i) * f32at(b, i));
}

/** x[i] = value. */
export function fill(x: usize, value: f32, n: i32): void {
  const V = f32x4.splat(value);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) vput(x, i, V);
  for (; i < n; i++) put(x, i, value);
}

/**
 * One Adam step, PyTorch's arithmetic: denom = sqrt(v) / sqrt(bc2) + eps,
 * p -= (lr / bc1) m / denom, with L2 weight decay folded into g. The scalars
 * arrive in float64 so that 1 - beta2 is formed before rounding (1 - f32(0.999)
 * is off by 1.3e-5 relative).
 */
export function adam(p: usize, g: usize, m: usize, vv: usize, n: i32, lr: f64, beta1: f64, beta2: f64, epsilon: f64, weightDecay: f64, bc1: f64, bc2: f64): void {
  const b1 = <f32>beta1, c1 = <f32>(1 - beta1);
  const b2 = <f32>beta2, c2 = <f32>(1 - beta2);
  const wd = <f32>weightDecay, eps = <f32>epsilon;
  const step = <f32>(lr / bc1);
  const invSqrtBc2 = <f32>(1 / Math.sqrt(bc2));
  const B1 = f32x4.splat(b1), C1 = f32x4.splat(c1);
  const B2 = f32x4.splat(b2), C2 = f32x4.splat(c2);
  const WD = f32x4.splat(wd), EPS = f32x4.splat(eps), STEP = f32x4.splat(step), IS = f32x4.splat(invSqrtBc2);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const pi = v(p, i);
    const gi = f32x4.add(v(g, i), f32x4.mul(WD, pi));
    const mi = f32x4.add(f32x4.mul(B1, v(m, i)), f32x4.mul(C1, gi));
    const vi = f32x4.add(f32x4.mul(B2, v(vv, i)), f32x4.mul(f32x4.mul(C2, gi), gi));
    vput(m, i, mi);
    vput(vv, i, vi);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vi), IS), EPS);
    vput(p, i, f32x4.sub(pi, f32x4.div(f32x4.mul(STEP, mi), denom)));
  }
  for (; i < n; i++) {
    const pi = f32at(p, i);
    const gi = f32at(g, i) + wd * pi;
    const mi = b1 * f32at(m, i) + c1 * gi;
    const vi = b2 * f32at(vv, i) + c2 * gi * gi;
    put(m, i, mi);
    put(vv, i, vi);
    put(p, i, pi - (step * mi) / (Mathf.sqrt(vi) * invSqrtBc2 + eps));
  }
}
