/**
 * The cross-validation machinery of the sentiment fit: feature extraction with
 * given engine parameters, the per-language ordinal model, and k-fold CV
 * figures. Used by `scripts/fit-sentiment.ts` and by the accuracy test.
 */
import { CLASS_COUNT } from '../src/sentiment/extract.js'
import { PARAMS } from '../src/sentiment/generated/params.js'
import type { EngineParams, LanguageModel, SentimentParams } from '../src/sentiment/params.js'
import { sentimentFeatures, starsOf } from '../src/sentiment/score.js'
import { type Doc, makeDoc } from '../src/text/index.js'
import {
  balancedAccuracy,
  bestBand,
  bestZero,
  fitOrdinal,
  foldOf,
  loadSentimentRows,
  macroF1,
  meanAbsoluteError,
} from './sentiment-fit-lib.js'

export const LANGS = ['en', 'es', 'it'] as const
export type Lang = (typeof LANGS)[number]
/** Folds of the cross-validation. */
export const FOLDS = 5
/** Rows of folds below this were read during lexicon work; figures are also given without them. */
export const INSPECTED_FOLDS = 2
/** L2 penalty on the class coefficients, per row. */
const LAMBDA_PER_ROW = 0.002
/** The choices of a language model's form, made by CV: concavity, density, row weighting. */
export interface ModelShape {
  alpha: number
  density: number
  weighting: Weighting
}

/** Concavity candidates for the class masses. */
export const ALPHAS = [0.5, 0.6, 0.7, 0.8, 0.9, 1]
/** Density candidates: evidence is scaled by (1 + words)^-density. */
export const DENSITIES = [0, 0.1, 0.2, 0.3, 0.4]

/** Every model shape the fit tries. */
export function modelShapes(): ModelShape[] {
  const out: ModelShape[] = []
  for (const weighting of WEIGHTINGS) for (const alpha of ALPHAS) for (const density of DENSITIES) out.push({ alpha, density, weighting })
  return out
}

/** The shape a fitted model was made with. */
export function shapeOf(m: LanguageModel): ModelShape {
  return { alpha: m.alpha, density: m.density, weighting: m.weighting }
}
/** Words and questions come after the class masses in the design matrix. */
const D = CLASS_COUNT + 2

export interface LangData {
  lang: Lang
  docs: Doc[]
  stars: Int8Array
  folds: Int8Array
}

/** The development rows of a language, tokenized, with their folds; null when the file is absent. */
export function loadLangData(root: string, lang: Lang): LangData | null {
  const rows = loadSentimentRows(root, lang)
  if (rows === null) return null
  return {
    lang,
    docs: rows.map((r) => makeDoc(r.text, r.title ?? null)),
    stars: Int8Array.from(rows.map((r) => r.stars)),
    folds: Int8Array.from(rows.map((r) => foldOf(r.id, FOLDS))),
  }
}

export interface Raw {
  sums: Float64Array // n × CLASS_COUNT
  words: Float64Array
  questions: Float64Array
  evidence: Int32Array
}

export function extract(d: LangData, engine: EngineParams): Raw {
  const params: SentimentParams = { ...PARAMS, engine }
  const n = d.docs.length
  const raw: Raw = {
    sums: new Float64Array(n * CLASS_COUNT),
    words: new Float64Array(n),
    questions: new Float64Array(n),
    evidence: new Int32Array(n),
  }
  for (let i = 0; i < n; i++) {
    const f = sentimentFeatures(d.docs[i]!, d.lang, params)
    raw.sums.set(f.sums, i * CLASS_COUNT)
    raw.words[i] = Math.log1p(f.words)
    raw.questions[i] = Math.min(3, f.questions)
    raw.evidence[i] = f.evidence
  }
  return raw
}

function design(raw: Raw, alpha: number, density: number, rows: number[]): Float64Array {
  const x = new Float64Array(rows.length * D)
  rows.forEach((r, i) => {
    const shrink = Math.exp(-density * raw.words[r]!)
    for (let c = 0; c < CLASS_COUNT; c++) {
      const s = raw.sums[r * CLASS_COUNT + c]!
      x[i * D + c] = s > 0 ? shrink * Math.pow(s, alpha) : 0
    }
    x[i * D + CLASS_COUNT] = raw.words[r]!
    x[i * D + CLASS_COUNT + 1] = raw.questions[r]!
  })
  return x
}

/** How training rows are weighted: each star level, or each star group (1–2 / 3 / 4–5), weighs the same in total. */
export type Weighting = LanguageModel['weighting']
export const WEIGHTINGS: Weighting[] = ['star', 'group']

function groupIndex(stars: number): number {
  return stars <= 2 ? 0 : stars === 3 ? 1 : 2
}

function balancedWeights(stars: Int8Array, rows: number[], weighting: Weighting): Float64Array {
  if (weighting === 'group') {
    const count = [0, 0, 0]
    for (const r of rows) count[groupIndex(stars[r]!)]!++
    return Float64Array.from(rows, (r) => rows.length / 3 / count[groupIndex(stars[r]!)]!)
  }
  const count = [0, 0, 0, 0, 0, 0]
  for (const r of rows) count[stars[r]!]!++
  return Float64Array.from(rows, (r) => rows.length / 5 / count[stars[r]!]!)
}

function etaRows(x: Float64Array, beta: number[], n: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let e = 0
    for (let j = 0; j < D; j++) e += x[i * D + j]! * beta[j]!
    out[i] = e
  }
  return out
}

/** Fit one language model on `rows`. */
export function fitModel(raw: Raw, stars: Int8Array, rows: number[], shape: ModelShape): LanguageModel {
  const { alpha, density, weighting } = shape
  const x = design(raw, alpha, density, rows)
  const w = balancedWeights(stars, rows, weighting)
  const y = Int8Array.from(rows, (r) => stars[r]!)
  const fit = fitOrdinal(x, y, w, D, LAMBDA_PER_ROW * rows.length)
  const eta = etaRows(x, fit.beta, rows.length)
  // Rows without evidence are neutral by rule: the cuts are fitted on the others.
  const withEvidence = rows.map((r, i) => (raw.evidence[r]! > 0 ? i : -1)).filter((i) => i >= 0)
  const e2 = Float64Array.from(withEvidence, (i) => eta[i]!)
  const s2 = Int8Array.from(withEvidence, (i) => y[i]!)
  const th = fit.thresholds
  // The neutral band maximizes macro-F1 but stays inside the ordinal model's
  // 3-star region [θ2, θ3]: on a skewed corpus (it) the free band reached far
  // into 2-star territory and left one-word verdicts ("Pessimo") neutral.
  // Cost in CV macro-F1: at most 0.006 (es), 0.001 (it).
  let zero = bestZero(e2, s2)
  let [low, high] = bestBand(e2, s2, zero)
  low = Math.max(low, th[1]!)
  high = Math.min(high, th[2]!)
  if (low > high) low = high = (th[1]! + th[2]!) / 2
  zero = Math.min(Math.max(zero, low), high)
  // Stars are calibrated to the corpus as it is (every row weighs 1): a
  // recalibration of η alone, so it cannot change the ranking.
  const calibration = fitOrdinal(e2, s2, new Float64Array(e2.length).fill(1), 1, 1e-6)
  return {
    beta: fit.beta.slice(0, CLASS_COUNT),
    alpha,
    density,
    length: fit.beta[CLASS_COUNT]!,
    question: fit.beta[CLASS_COUNT + 1]!,
    thresholds: th,
    zero,
    low,
    high,
    spread: Math.max(0.5, (th[3]! - th[0]!) / 2),
    starScale: calibration.beta[0]!,
    starThresholds: calibration.thresholds,
    weighting,
  }
}

function etaOne(raw: Raw, r: number, m: LanguageModel): number {
  let e = 0
  for (let c = 0; c < CLASS_COUNT; c++) {
    const s = raw.sums[r * CLASS_COUNT + c]!
    if (s > 0) e += m.beta[c]! * Math.pow(s, m.alpha)
  }
  return e * Math.exp(-m.density * raw.words[r]!) + m.length * raw.words[r]! + m.question * raw.questions[r]!
}

export interface Metrics {
  balanced: number
  f1: number
  mae: number
  coverage: number
}

/** Mirrors `scoreSentimentWith`: no evidence is neutral, too little evidence stays in the neutral band. */
export function predict(raw: Raw, r: number, m: LanguageModel, minMass: number): { positive: boolean; group: number; stars: number } {
  if (raw.evidence[r] === 0) return { positive: false, group: 1, stars: 3 }
  const eta = etaOne(raw, r, m)
  let mass = 0
  for (let c = 0; c < CLASS_COUNT; c++) mass += raw.sums[r * CLASS_COUNT + c]!
  const stars = Math.min(5, Math.max(1, starsOf(eta, m)))
  if (mass < minMass) return { positive: eta > m.zero, group: 1, stars: Math.max(2.5, Math.min(3.5, stars)) }
  return {
    positive: eta > m.zero,
    group: eta <= m.low ? 0 : eta >= m.high ? 2 : 1,
    stars,
  }
}

export function evaluate(raw: Raw, d: LangData, rows: number[], m: LanguageModel, minMass: number): Metrics {
  const stars = rows.map((r) => d.stars[r]!)
  const preds = rows.map((r) => predict(raw, r, m, minMass))
  return {
    balanced: balancedAccuracy(stars, preds.map((p) => p.positive)),
    f1: macroF1(stars, preds.map((p) => p.group)),
    mae: meanAbsoluteError(stars, preds.map((p) => p.stars)),
    coverage: rows.filter((r) => raw.evidence[r]! > 0).length / rows.length,
  }
}

/** K-fold CV figures of one language for a given alpha: all rows, and the never-inspected folds only. */
export function crossValidate(raw: Raw, d: LangData, shape: ModelShape, minMass: number): Metrics & { unseen: Metrics } {
  const n = d.stars.length
  const pos = new Array<boolean>(n)
  const group = new Array<number>(n)
  const st = new Array<number>(n)
  for (let f = 0; f < FOLDS; f++) {
    const train: number[] = []
    const test: number[] = []
    for (let i = 0; i < n; i++) (d.folds[i] === f ? test : train).push(i)
    const m = fitModel(raw, d.stars, train, shape)
    for (const r of test) {
      const p = predict(raw, r, m, minMass)
      pos[r] = p.positive
      group[r] = p.group
      st[r] = p.stars
    }
  }
  const metricsOf = (rows: number[]): Metrics => {
    const stars = rows.map((r) => d.stars[r]!)
    return {
      balanced: balancedAccuracy(stars, rows.map((r) => pos[r]!)),
      f1: macroF1(stars, rows.map((r) => group[r]!)),
      mae: meanAbsoluteError(stars, rows.map((r) => st[r]!)),
      coverage: rows.filter((r) => raw.evidence[r]! > 0).length / rows.length,
    }
  }
  const all = [...d.stars.keys()]
  return { ...metricsOf(all), unseen: metricsOf(all.filter((r) => d.folds[r]! >= INSPECTED_FOLDS)) }
}
