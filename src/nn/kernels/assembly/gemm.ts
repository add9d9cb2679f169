// Register-blocked SIMD matrix product. Pointers are byte addresses in the
// module's (imported, fixed-size) memory; the JS wrapper supplies a scratch
// area for the packed B panel.
//
// Scheme: B (k x n, or n x k read transposed) is packed once per call into
// column panels of 8 floats per row, zero-padded past n, so one kernel serves
// every transpose combination and every column edge. A is read in place:
// op(A)[i, p] sits at a + i*rowStep + p*kStep, which covers both A (row-major
// m x k: rowStep 4k, kStep 4) and A transposed (k x m: rowStep 4, kStep 4m).
// Each kernel call computes a 4 x 8 block of C in eight f32x4 accumulators.

/** 32 bytes to spill a partial block of 8 columns through. */
const EDGE: usize = memory.data(64, 16);

/** Below this many rows packing B costs as much as it saves: use the row kernel on B in place. */
const PACK_MIN_ROWS: i32 = 4;
/** k is split into blocks so one panel strip (KC x 8 floats) stays in L1. */
const KC: i32 = 256;
/**
 * At most this many columns of op(B) = Bᵀ (with A not transposed): one SIMD
 * dot product per entry along rows of A and B beats packing B into 8-wide
 * panels that are mostly padding (a layer with 1 or 2 outputs: 2-3x faster).
 */
const NARROW_N: i32 = 2;

@inline function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function store8(c: usize, lo: v128, hi: v128, nr: i32, add: bool): void {
  if (nr == 8) {
    if (add) {
      lo = f32x4.add(lo, v128.load(c));
      hi = f32x4.add(hi, v128.load(c, 16));
    }
    v128.store(c, lo);
    v128.store(c, hi, 16);
  } else {
    v128.store(EDGE, lo);
    v128.store(EDGE, hi, 16);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      let v = load<f32>(EDGE + o);
      if (add) v += load<f32>(c + o);
      store<f32>(c + o, v);
    }
  }
}

/** C[4 x nr] (+)= op(A)[4 rows from a] * panel strip p (kc x 8). */
function block4x8(a: usize, rowStep: usize, kStep: usize, p: usize, kc: i32, c: usize, ldc: usize, nr: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a, a1 = a + rowStep, a2 = a + 2 * rowStep, a3 = a + 3 * rowStep;
  const end = p + (<usize>kc << 5);
  while (p < end) {
    const b0 = v128.load(p);
    const b1 = v128.load(p, 16);
    let s = v128.load32_splat(a0);
    c00 = fma(c00, s, b0); c01 = fma(c01, s, b1);
    s = v128.load32_splat(a1);
    c10 = fma(c10, s, b0); c11 = fma(c11, s, b1);
    s = v128.load32_splat(a2);
    c20 = fma(c20, s, b0); c21 = fma(c21, s, b1);
    s = v128.load32_splat(a3);
    c30 = fma(c30, s, b0); c31 = fma(c31, s, b1);
    a0 += kStep; a1 += kStep; a2 += kStep; a3 += kStep;
    p += 32;
  }
  store8(c, c00, c01, nr, add);
  store8(c + ldc, c10, c11, nr, add);
  store8(c + 2 * ldc, c20, c21, nr, add);
  store8(c + 3 * ldc, c30, c31, nr, add);
}

/** C[1 x nr] (+)= op(A)[1 row from a] * panel strip p (kc x 8). */
function block1x8(a: usize, kStep: usize, p: usize, kc: i32, c: usize, nr: i32, add: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let d0 = f32x4.splat(0), d1 = f32x4.splat(0);
  const end = p + (<usize>kc << 5);
  // Two k steps per turn on separate accumulators halve the add-latency chain.
  while (p + 64 <= end) {
    const s0 = v128.load32_splat(a);
    const s1 = v128.load32_splat(a + kStep);
    c0 = fma(c0, s0, v128.load(p)); c1 = fma(c1, s0, v128.load(p, 16));
    d0 = fma(d0, s1, v128.load(p, 32)); d1 = fma(d1, s1, v128.load(p, 48));
    a += kStep << 1;
    p += 64;
  }
  if (p < end) {
    const s0 = v128.load32_splat(a);
    c0 = fma(c0, s0, v128.load(p)); c1 = fma(c1, s0, v128.load(p, 16));
  }
  store8(c, f32x4.add(c0, d0), f32x4.add(c1, d1), nr, add);
}

/** Pack rows [k0, k0+kc) of op(B) into panels: panel j holds kc rows of 8 floats. */
function packB(b: usize, n: i32, k: i32, k0: i32, kc: i32, transB: bool, panel: usize): void {
  const panels = (n + 7) >> 3;
  for (let jp = 0; jp < panels; jp++) {
    const j0 = jp << 3;
    const nr = min(8, n - j0);
    let dst = panel + ((<usize>jp * <usize>kc) << 5);
    if (!transB) {
      // op(B)[p, j] = B[p*n + j]
      let src = b + ((<usize>k0 * <usize>n + <usize>j0) << 2);
      const ldb = <usize>n << 2;
      if (nr == 8) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += ldb; dst += 32;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let j = 0; j < nr; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
          src += ldb; dst += 32;
        }
      }
    } else {
      // op(B)[p, j] = B[j*k + p]: walk each source row contiguously.
      if (nr < 8) memory.fill(dst, 0, <usize>kc << 5);
      const ldb = <usize>k << 2;
      for (let j = 0; j < nr; j++) {
        let src = b + ((<usize>(j0 + j) * <usize>k + <usize>k0) << 2);
        let d = dst + (<usize>j << 2);
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += 4; d += 32;
        }
      }
      void ldb;
    }
  }
}

/** Rows of C one at a time with B read in place (small m: acting at batch 1). */
function gemmRows(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, add: bool): void {
  const kStep: usize = transA ? <usize>m << 2 : 4;
  const rowStep: usize = transA ? 4 : <usize>k << 2;
  const ldc = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * rowStep;
    const ci = c + <usize>i * ldc;
    if (!transB) {
      const ldb = <usize>n << 2;
      let j = 0;
      for (; j + 8 <= n; j += 8) {
        let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
        let ap = ai, bp = b + (<usize>j << 2);
        for (let p = 0; p < k; p++) {
          const s = v128.load32_splat(ap);
          c0 = fma(c0, s, v128.load(bp)); c1 = fma(c1, s, v128.load(bp, 16));
          ap += kStep; bp += ldb;
        }
        store8(ci + (<usize>j << 2), c0, c1, 8, add);
      }
      for (; j + 4 <= n; j += 4) {
        let c0 = f32x4.splat(0);
        let ap = ai, bp = b + (<usize>j << 2);
        for (let p = 0; p < k; p++) {
          c0 = fma(c0, v128.load32_splat(ap), v128.load(bp));
          ap += kStep; bp += ldb;
        }
        const o = ci + (<usize>j << 2);
        v128.store(o, add ? f32x4.add(c0, v128.load(o)) : c0);
      }
      for (; j < n; j++) {
        let s: f32 = 0;
        let ap = ai, bp = b + (<usize>j << 2);
        for (let p = 0; p < k; p++) { s += load<f32>(ap) * load<f32>(bp); ap += kStep; bp += ldb; }
        const o = ci + (<usize>j << 2);
        store<f32>(o, add ? load<f32>(o) + s : s);
      }
    } else {
      // op(B)[p, j] = B[j*k + p]: each entry is a dot product along a row of B.
      for (let j = 0; j < n; j++) {
        const bj = b + ((<usize>j * <usize>k) << 2);
        let s: f32 = 0;
        let p = 0;
        if (!transA) {
          let v0 = f32x4.splat(0), v1 = f32x4.splat(0);
          for (; p + 8 <= k; p += 8) {
            const o = <usize>p << 2;
            v0 = fma(v0, v128.load(ai + o), v128.load(bj + o));
            v1 = fma(v1, v128.load(ai + o, 16), v128.load(bj + o, 16));
          }
          v0 = f32x4.add(v0, v1);
          s = f32x4.extract_lane(v0, 0) + f32x4.extract_lane(v0, 1) + f32x4.extract_lane(v0, 2) + f32x4.extract_lane(v0, 3);
        }
        for (; p < k; p++) s += load<f32>(ai + <usize>p * kStep) * load<f32>(bj + (<usize>p << 2));
        const o = ci + (<usize>j << 2);
        store<f32>(o, add ? load<f32>(o) + s : s);
      }
    }
  }
}

/**
 * C (m x n) = op(A) * op(B) (+ C when accumulate). flags: bit 0 transA,
 * bit 1 transB, bit 2 accumulate. `scratch` needs gemmScratchBytes(m, n, k).
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, flags: i32, scratch: usize): void {
  const transA = (flags & 1) != 0;
  const transB = (flags & 2) != 0;
  const accumulate = (flags & 4) != 0;
  if (m <= 0 || n <= 0) return;
  if (m < PACK_MIN_ROWS || k <= 0 || (n <= NARROW_N && transB && !transA)) {
    if (k <= 0) {
      if (!accumulate) memory.fill(c, 0, (<usize>m * <usize>n) << 2);
      return;
    }
    gemmRows(a, b, c, m, n, k, transA, transB, accumulate);
    return;
  }
  const rowStep: usize = transA ? 4 : <usize>k << 2;
  const kStep: usize = transA ? <usize>m << 2 : 4;
  const ldc = <usize>n << 2;
  const panels = (n + 7) >> 3;
  const m4 = m & ~3;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const add = accumulate || k0 > 0;
    packB(b, n, k, k0, kc, transB, scratch);
    const ak = a + <usize>k0 * kStep;
    for (let jp = 0; jp < panels; jp++) {
      const j0 = jp << 3;
      const nr = min(8, n - j0);
      const p = scratch + ((<usize>jp * <usize>kc) << 5);
      const cj = c + (<usize>j0 << 2);
      let i = 0;
      for (; i < m4; i += 4) block4x8(ak + <usize>i * rowStep, rowStep, kStep, p, kc, cj + <usize>i * ldc, ldc, nr, add);
      for (; i < m; i++) block1x8(ak + <usize>i * rowStep, kStep, p, kc, cj + <usize>i * ldc, nr, add);
    }
  }
}

/** Bytes of scratch `gemm` needs for these sizes (0 when it always reads B in place; it does not know the transposes, so it may ask for more than a narrow Bᵀ uses). */
export function gemmScratchBytes(m: i32, n: i32, k: i32): i32 {
  if (m < PACK_MIN_ROWS || k <= 0 || n <= 0) return 0;
  return min(KC, k) * (((n + 7) >> 3) << 5);
}
