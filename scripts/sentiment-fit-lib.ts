/**
 * Shared by `scripts/fit-sentiment.ts`, `benchmarks/sentiment/run.ts` and the
 * accuracy test: reading the development corpora, fold assignment, metrics,
 * and the ordinal logistic model the aggregate features are fitted with.
 * Nothing here ships in the package.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fnv1a } from '../src/text/index.js'

export interface Row {
  id: string
  lang: string
  text: string
  title?: string | null
  stars: number
}

/** `../shared/data` relative to the repository root. */
export function dataDir(root: string): string {
  return resolve(root, '../shared/data')
}

/** The rows of `sentiment_<lang>.jsonl`, or null when the file is absent. */
export function loadSentimentRows(root: string, lang: string): Row[] | null {
  const path = resolve(dataDir(root), `sentiment_${lang}.jsonl`)
  if (!existsSync(path)) return null
  return readJsonl(path)
}

export function readJsonl(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row)
}

/** Cross-validation fold of a row: FNV-1a of its id modulo `k`. */
export function foldOf(id: string, k: number): number {
  return fnv1a(id) % k
}

// ---------------------------------------------------------------- metrics

/** Balanced accuracy of 1–2 vs 4–5 stars (3 stars skipped): mean of the two recalls. */
export function balancedAccuracy(stars: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  let np = 0
  let tp = 0
  let nn = 0
  let tn = 0
  for (let i = 0; i < stars.length; i++) {
    const s = stars[i]!
    if (s >= 4) {
      np++
      if (positive[i]) tp++
    } else if (s <= 2) {
      nn++
      if (!positive[i]) tn++
    }
  }
  return ((np ? tp / np : 0) + (nn ? tn / nn : 0)) / 2
}

/** Plain accuracy of 1–2 vs 4–5 stars. */
export function binaryAccuracy(stars: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  let n = 0
  let ok = 0
  for (let i = 0; i < stars.length; i++) {
    const s = stars[i]!
    if (s === 3) continue
    n++
    if (s >= 4 === positive[i]) ok++
  }
  return n ? ok / n : 0
}

/** Star group: 0 for 1–2, 1 for 3, 2 for 4–5. */
export function groupOf(stars: number): number {
  return stars <= 2 ? 0 : stars === 3 ? 1 : 2
}

/** Macro-F1 over the groups 1–2 / 3 / 4–5; `predicted` holds groups 0/1/2. */
export function macroF1(stars: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const tp = [0, 0, 0]
  const fp = [0, 0, 0]
  const fn = [0, 0, 0]
  for (let i = 0; i < stars.length; i++) {
    const g = groupOf(stars[i]!)
    const p = predicted[i]!
    if (g === p) tp[g]!++
    else {
      fp[p]!++
      fn[g]!++
    }
  }
  let sum = 0
  for (let c = 0; c < 3; c++) {
    const prec = tp[c]! + fp[c]! ? tp[c]! / (tp[c]! + fp[c]!) : 0
    const rec = tp[c]! + fn[c]! ? tp[c]! / (tp[c]! + fn[c]!) : 0
    sum += prec + rec ? (2 * prec * rec) / (prec + rec) : 0
  }
  return sum / 3
}

export function meanAbsoluteError(stars: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < stars.length; i++) s += Math.abs(stars[i]! - predicted[i]!)
  return stars.length ? s / stars.length : 0
}

// ---------------------------------------------------------------- cuts

/** Candidate cut points: midpoints between quantiles of `values`. */
function candidates(values: ArrayLike<number>, count = 200): number[] {
  const sorted = Float64Array.from(values).sort()
  const out = new Set<number>()
  for (let q = 0; q <= count; q++) {
    const i = Math.min(sorted.length - 1, Math.floor((q / count) * (sorted.length - 1)))
    const a = sorted[i]!
    const b = sorted[Math.min(sorted.length - 1, i + 1)]!
    out.add((a + b) / 2)
  }
  return [...out].sort((a, b) => a - b)
}

/** The cut on η maximizing balanced binary accuracy (η > cut = positive). */
export function bestZero(eta: ArrayLike<number>, stars: ArrayLike<number>): number {
  let best = 0
  let bestScore = -1
  const pos = new Array<boolean>(eta.length)
  for (const c of candidates(eta)) {
    for (let i = 0; i < eta.length; i++) pos[i] = eta[i]! > c
    const s = balancedAccuracy(stars, pos)
    if (s > bestScore + 1e-12) {
      bestScore = s
      best = c
    }
  }
  return best
}

/** The neutral band [low, high] around `zero` maximizing 3-class macro-F1. */
export function bestBand(eta: ArrayLike<number>, stars: ArrayLike<number>, zero: number): [number, number] {
  const cands = candidates(eta, 120)
  const lows = [zero, ...cands.filter((c) => c < zero)]
  const highs = [zero, ...cands.filter((c) => c > zero)]
  let best: [number, number] = [zero, zero]
  let bestScore = -1
  const pred = new Int8Array(eta.length)
  for (const lo of lows) {
    for (const hi of highs) {
      for (let i = 0; i < eta.length; i++) pred[i] = eta[i]! <= lo ? 0 : eta[i]! >= hi ? 2 : 1
      const s = macroF1(stars, pred)
      if (s > bestScore + 1e-12) {
        bestScore = s
        best = [lo, hi]
      }
    }
  }
  return best
}

// ---------------------------------------------------------------- ordinal model

/**
 * Cumulative-logit (proportional odds) model: P(stars ≤ k) = σ(θ_k − x·β), fitted
 * by damped Newton steps with an L2 penalty on β. `x` is row-major, `n × d`.
 */
export interface OrdinalFit {
  beta: number[]
  thresholds: number[]
  loss: number
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))
}

function unpack(p: Float64Array, d: number): { beta: Float64Array; theta: number[] } {
  const beta = p.subarray(0, d)
  const theta = [p[d]!]
  for (let k = 1; k < 4; k++) theta.push(theta[k - 1]! + Math.exp(p[d + k]!))
  return { beta, theta }
}

function lossAndGrad(
  p: Float64Array,
  x: Float64Array,
  y: Int8Array,
  w: Float64Array,
  d: number,
  lambda: number,
  grad: Float64Array | null,
): number {
  const n = y.length
  const { beta, theta } = unpack(p, d)
  let loss = 0
  const gTheta = [0, 0, 0, 0]
  if (grad) grad.fill(0)
  for (let i = 0; i < n; i++) {
    let eta = 0
    for (let j = 0; j < d; j++) eta += x[i * d + j]! * beta[j]!
    const k = y[i]! // 0..4
    const upper = k < 4 ? sigmoid(theta[k]! - eta) : 1
    const lower = k > 0 ? sigmoid(theta[k - 1]! - eta) : 0
    const pk = Math.max(upper - lower, 1e-12)
    loss -= w[i]! * Math.log(pk)
    if (grad) {
      // d upper/d eta = -upper(1-upper); d lower/d eta = -lower(1-lower)
      const du = k < 4 ? upper * (1 - upper) : 0
      const dl = k > 0 ? lower * (1 - lower) : 0
      const dEta = (w[i]! * (du - dl)) / pk // derivative of -log pk wrt eta
      for (let j = 0; j < d; j++) grad[j] = grad[j]! + dEta * x[i * d + j]!
      if (k < 4) gTheta[k] = gTheta[k]! - (w[i]! * du) / pk
      if (k > 0) gTheta[k - 1] = gTheta[k - 1]! + (w[i]! * dl) / pk
    }
  }
  for (let j = 0; j < d; j++) loss += lambda * beta[j]! * beta[j]!
  if (grad) {
    for (let j = 0; j < d; j++) grad[j] = grad[j]! + 2 * lambda * beta[j]!
    // chain rule through θ_k = θ_1 + Σ exp(t)
    let acc = 0
    for (let k = 3; k >= 0; k--) {
      acc += gTheta[k]!
      if (k === 0) grad[d] = acc
      else grad[d + k] = acc * Math.exp(p[d + k]!)
    }
  }
  return loss
}

function solve(a: Float64Array, b: Float64Array, m: number): Float64Array | null {
  const A = Float64Array.from(a)
  const x = Float64Array.from(b)
  for (let c = 0; c < m; c++) {
    let piv = c
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]!) > Math.abs(A[piv * m + c]!)) piv = r
    if (Math.abs(A[piv * m + c]!) < 1e-12) return null
    if (piv !== c) {
      for (let k = 0; k < m; k++) {
        const t = A[c * m + k]!
        A[c * m + k] = A[piv * m + k]!
        A[piv * m + k] = t
      }
      const t = x[c]!
      x[c] = x[piv]!
      x[piv] = t
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue
      const f = A[r * m + c]! / A[c * m + c]!
      if (f === 0) continue
      for (let k = c; k < m; k++) A[r * m + k] = A[r * m + k]! - f * A[c * m + k]!
      x[r] = x[r]! - f * x[c]!
    }
  }
  for (let c = 0; c < m; c++) x[c] = x[c]! / A[c * m + c]!
  return x
}

/**
 * Fit the ordinal model.
 *
 * @param x Features, row-major n × d.
 * @param stars Stars 1–5 per row.
 * @param w Row weights.
 * @param d Feature count.
 * @param lambda L2 penalty on β (thresholds are not penalized).
 */
export function fitOrdinal(x: Float64Array, stars: ArrayLike<number>, w: Float64Array, d: number, lambda: number): OrdinalFit {
  const n = stars.length
  const y = new Int8Array(n)
  for (let i = 0; i < n; i++) y[i] = stars[i]! - 1
  const m = d + 4
  const p = new Float64Array(m)
  p[d] = -1.5
  for (let k = 1; k < 4; k++) p[d + k] = 0
  const g = new Float64Array(m)
  const g2 = new Float64Array(m)
  const h = new Float64Array(m * m)
  let loss = lossAndGrad(p, x, y, w, d, lambda, g)
  for (let iter = 0; iter < 60; iter++) {
    // Finite-difference Hessian of the analytic gradient.
    const eps = 1e-5
    for (let j = 0; j < m; j++) {
      const keep = p[j]!
      p[j] = keep + eps
      lossAndGrad(p, x, y, w, d, lambda, g2)
      p[j] = keep
      for (let k = 0; k < m; k++) h[k * m + j] = (g2[k]! - g[k]!) / eps
    }
    for (let j = 0; j < m; j++) {
      for (let k = j + 1; k < m; k++) {
        const s = (h[j * m + k]! + h[k * m + j]!) / 2
        h[j * m + k] = s
        h[k * m + j] = s
      }
      h[j * m + j] = h[j * m + j]! + 1e-6
    }
    let step = solve(h, g, m)
    if (step === null) step = Float64Array.from(g, (v) => v * 1e-3)
    let t = 1
    let improved = false
    const trial = new Float64Array(m)
    for (let ls = 0; ls < 30; ls++) {
      for (let j = 0; j < m; j++) trial[j] = p[j]! - t * step[j]!
      const l2 = lossAndGrad(trial, x, y, w, d, lambda, null)
      if (Number.isFinite(l2) && l2 <= loss) {
        improved = loss - l2 > 1e-10 * Math.max(1, Math.abs(loss))
        p.set(trial)
        loss = lossAndGrad(p, x, y, w, d, lambda, g)
        break
      }
      t /= 2
    }
    if (!improved) break
  }
  const { beta, theta } = unpack(p, d)
  return { beta: Array.from(beta), thresholds: theta, loss }
}
