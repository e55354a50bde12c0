import type { LanguageCode, SentimentEvidence, SentimentResult } from '../review/index.js'
import { type Doc, type FieldText, spanOf } from '../text/index.js'
import { CLASS_COUNT, Scratch, scanField } from './extract.js'
import { PARAMS } from './generated/params.js'
import { type LexiconLanguage, type Lexicon, NO_NODE, lexiconFor, rootNode } from './lexicon.js'
import type { LanguageModel, SentimentParams } from './params.js'
import type { SentimentAnalysis } from './types.js'

/** Per-call options of `scoreSentiment`. */
export interface SentimentOptions {
  /** List the words and phrases that moved the score, with their weights and offsets. */
  explain: boolean
}

/**
 * Half-width of the neutral band on the score: the fitted neutral band on η is
 * mapped to (-NEUTRAL_BAND, NEUTRAL_BAND), so `labelOf` needs no per-language cut.
 */
export const NEUTRAL_BAND = 0.1
/** Below the evidence floor (`minMass`) the score stays within ±FAINT_SCORE (inside the neutral band)… */
const FAINT_SCORE = NEUTRAL_BAND / 2
/** …the stars within 3 ± FAINT_STARS, and the confidence at most FAINT_CONFIDENCE. */
const FAINT_STARS = 0.5
const FAINT_CONFIDENCE = 0.2
/** Questions count up to this many ("why??? why???"). */
const MAX_QUESTIONS = 3

const scratch = new Scratch()

/** The per-review numbers the aggregate model reads (the fit script reads them too). */
export interface SentimentFeatures {
  /** Summed evidence magnitude per class. */
  sums: Float64Array
  words: number
  questions: number
  exclamations: number
  /** Pieces of evidence found. */
  evidence: number
  /** The lexicon language used (`und` resolved to the best-matching one). */
  lang: LexiconLanguage
}

/**
 * For `und`, the language whose lexicon covers most of the words (ties and
 * no hits at all go to English, whose model is the most general).
 */
function pickLanguage(doc: Doc): LexiconLanguage {
  let best: LexiconLanguage = 'en'
  let bestHits = 0
  for (const lang of ['en', 'es', 'it'] as const) {
    const lex = lexiconFor(lang)
    let hits = countHits(doc.body, lex)
    if (doc.title !== null) hits += countHits(doc.title, lex)
    if (hits > bestHits) {
      best = lang
      bestHits = hits
    }
  }
  return best
}

function countHits(field: FieldText, lex: Lexicon): number {
  let hits = 0
  // Any trie node counts, phrase-initial function words ("el", "il", "the") included:
  // they tell the languages apart better than the sentiment terms alone (measured).
  for (const t of field.tokens) if (t.kind === 'word' && rootNode(lex, t.key, t.id) !== NO_NODE) hits++
  return hits
}

/**
 * Run the token pass over body and title into `s` with the given parameters.
 *
 * @param doc The review's tokens.
 * @param lang The review language; `und` picks the best-matching lexicon.
 * @param params Engine parameters.
 * @param s Scratch receiving the evidence and class sums.
 * @returns The language whose lexicon and model apply.
 */
export function scanDoc(doc: Doc, lang: LanguageCode, params: SentimentParams, s: Scratch): LexiconLanguage {
  const chosen: LexiconLanguage = lang === 'und' ? pickLanguage(doc) : lang
  const lex = lexiconFor(chosen)
  s.reset()
  scanField(doc.body.tokens, 0, lex, params.engine, 1, s)
  if (doc.title !== null) scanField(doc.title.tokens, 1, lex, params.engine, params.engine.titleWeight, s)
  const sums = s.sums
  for (let k = 0; k < s.count; k++) sums[s.cls[k]!] = sums[s.cls[k]!]! + s.value[k]!
  return chosen
}

/**
 * The aggregate features of one review (what `scripts/fit-sentiment.ts` fits on).
 *
 * @param doc The review's tokens.
 * @param lang The review language.
 * @param params Parameters whose engine part drives the token pass.
 * @returns Class sums and counts (a fresh copy).
 */
export function sentimentFeatures(doc: Doc, lang: LanguageCode, params: SentimentParams = PARAMS): SentimentFeatures {
  const chosen = scanDoc(doc, lang, params, scratch)
  return {
    sums: Float64Array.from(scratch.sums),
    words: scratch.words,
    questions: scratch.questions,
    exclamations: scratch.exclamations,
    evidence: scratch.count,
    lang: chosen,
  }
}

/** Per-class multiplier turning an evidence magnitude into its contribution: β · S^(α-1) · (1 + words)^-δ. */
function classScale(sums: Float64Array, words: number, m: LanguageModel, out: Float64Array): void {
  const shrink = densityOf(words, m)
  for (let c = 0; c < CLASS_COUNT; c++) {
    const sum = sums[c]!
    out[c] = sum > 0 ? m.beta[c]! * Math.pow(sum, m.alpha - 1) * shrink : 0
  }
}

function densityOf(words: number, m: LanguageModel): number {
  return m.density === 0 ? 1 : Math.pow(1 + words, -m.density)
}

/**
 * The linear score η of a review from its features: Σ β_c · S_c^α scaled by
 * (1 + words)^-δ, plus the length and question terms.
 */
export function etaOf(f: Pick<SentimentFeatures, 'sums' | 'words' | 'questions'>, m: LanguageModel): number {
  let eta = 0
  for (let c = 0; c < CLASS_COUNT; c++) {
    const sum = f.sums[c]!
    if (sum > 0) eta += m.beta[c]! * Math.pow(sum, m.alpha)
  }
  return eta * densityOf(f.words, m) + docTerms(f.words, f.questions, m)
}

function docTerms(words: number, questions: number, m: LanguageModel): number {
  return m.length * Math.log1p(words) + m.question * (questions > MAX_QUESTIONS ? MAX_QUESTIONS : questions)
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

/**
 * Map η to a score in [-1, 1]: 0 at the fitted cut, ±NEUTRAL_BAND at the edges
 * of the fitted neutral band, then a tanh toward ±1.
 */
export function scoreOf(eta: number, m: LanguageModel): number {
  const { zero, low, high, spread } = m
  if (eta >= high) return NEUTRAL_BAND + (1 - NEUTRAL_BAND) * Math.tanh((eta - high) / spread)
  if (eta <= low) return -NEUTRAL_BAND - (1 - NEUTRAL_BAND) * Math.tanh((low - eta) / spread)
  if (eta >= zero) return high > zero ? (NEUTRAL_BAND * (eta - zero)) / (high - zero) : NEUTRAL_BAND
  return low < zero ? (-NEUTRAL_BAND * (zero - eta)) / (zero - low) : -NEUTRAL_BAND
}

/** Expected stars under the star calibration: 1 + Σ_k σ(a·η − θ_k). */
export function starsOf(eta: number, m: LanguageModel): number {
  let stars = 1
  const x = m.starScale * eta
  for (const theta of m.starThresholds) stars += sigmoid(x - theta)
  return stars
}

/** The probability of the label's star group (≤2, 3, ≥4) under the ordinal model, rescaled from [1/3, 1] to [0, 1]. */
function confidenceOf(eta: number, label: SentimentResult['label'], m: LanguageModel): number {
  const th = m.thresholds
  const low = sigmoid(th[1]! - eta)
  const high = 1 - sigmoid(th[2]! - eta)
  const p = label === 'positive' ? high : label === 'negative' ? low : 1 - low - high
  const c = (p - 1 / 3) * 1.5
  return c < 0 ? 0 : c > 1 ? 1 : c
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/**
 * Storage a caller can lend to `scoreSentiment` for the per-token
 * contributions, when it is done with each analysis before the next call (the
 * per-review stage is): every call then returns views of the same memory
 * instead of two new typed arrays, whose off-heap buffers cost the garbage
 * collector more than their size suggests.
 */
export class ContributionBuffers {
  private store = new Float32Array(1024)

  /**
   * Zeroed views for a body of `bodyTokens` tokens and a title of `titleTokens` (-1: no title).
   *
   * @returns The body's view and the title's (or null); both are overwritten by the next call.
   */
  views(bodyTokens: number, titleTokens: number): [Float32Array, Float32Array | null] {
    const total = bodyTokens + Math.max(0, titleTokens)
    if (total > this.store.length) this.store = new Float32Array(Math.max(total, this.store.length * 2))
    else this.store.fill(0, 0, total)
    const body = this.store.subarray(0, bodyTokens)
    return [body, titleTokens < 0 ? null : this.store.subarray(bodyTokens, total)]
  }
}

/**
 * Score a review's sentiment from its tokens.
 *
 * @param doc The review's tokens (body and optional title).
 * @param lang The review language; `und` scores with the best-matching lexicon.
 * @param options `explain: true` adds the words and phrases that moved the score.
 * @param buffers Storage for the contributions (see `ContributionBuffers`); new arrays by default.
 * @returns The result plus each token's contribution to the raw score.
 */
export function scoreSentiment(doc: Doc, lang: LanguageCode, options: SentimentOptions, buffers: ContributionBuffers | null = null): SentimentAnalysis {
  return scoreSentimentWith(doc, lang, options, PARAMS, buffers)
}

const scales = new Float64Array(CLASS_COUNT)

/**
 * `scoreSentiment` with explicit parameters (the fit script and tests use it).
 *
 * @param doc The review's tokens.
 * @param lang The review language.
 * @param options Whether to explain.
 * @param params Engine and per-language model parameters.
 * @param buffers Storage for the contributions (see `ContributionBuffers`); new arrays by default.
 * @returns The result and per-token contributions.
 */
export function scoreSentimentWith(
  doc: Doc,
  lang: LanguageCode,
  options: SentimentOptions,
  params: SentimentParams,
  buffers: ContributionBuffers | null = null,
): SentimentAnalysis {
  const s = scratch
  const chosen = scanDoc(doc, lang, params, s)
  const m = params.models[chosen]
  let body: Float32Array
  let title: Float32Array | null
  if (buffers !== null) [body, title] = buffers.views(doc.body.tokens.length, doc.title === null ? -1 : doc.title.tokens.length)
  else {
    body = new Float32Array(doc.body.tokens.length)
    title = doc.title === null ? null : new Float32Array(doc.title.tokens.length)
  }
  if (s.count === 0) {
    const result: SentimentResult = { score: 0, label: 'neutral', stars: 3, confidence: 0 }
    if (options.explain) result.explain = []
    return { result, body, title }
  }
  classScale(s.sums, s.words, m, scales)
  let raw = 0
  for (let k = 0; k < s.count; k++) {
    const c = s.value[k]! * scales[s.cls[k]!]!
    raw += c
    const arr = s.field[k] === 0 ? body : title!
    arr[s.from[k]!] = arr[s.from[k]!]! + c
  }
  const eta = raw + docTerms(s.words, s.questions, m)
  let score = scoreOf(eta, m)
  let stars = starsOf(eta, m)
  let confidence: number
  let mass = 0
  for (let c = 0; c < CLASS_COUNT; c++) mass += s.sums[c]!
  if (mass < params.engine.minMass) {
    // Too little evidence for a polarity: keep the sign, stay neutral.
    score = Math.max(-FAINT_SCORE, Math.min(FAINT_SCORE, score))
    stars = Math.max(3 - FAINT_STARS, Math.min(3 + FAINT_STARS, stars))
    confidence = Math.min(FAINT_CONFIDENCE, confidenceOf(eta, 'neutral', m))
  } else confidence = confidenceOf(eta, labelOf(score), m)
  score = round(score, 3)
  const label = labelOf(score)
  const result: SentimentResult = {
    score,
    label,
    stars: round(Math.min(5, Math.max(1, stars)), 2),
    confidence: round(confidence, 2),
  }
  if (options.explain) result.explain = explainEvidence(doc, s)
  return { result, body, title }
}

function explainEvidence(doc: Doc, s: Scratch): SentimentEvidence[] {
  const out: SentimentEvidence[] = []
  for (let k = 0; k < s.count; k++) {
    const weight = s.value[k]! * scales[s.cls[k]!]!
    if (weight === 0) continue
    const isTitle = s.field[k] === 1
    const field = isTitle ? doc.title! : doc.body
    const span = spanOf(field, field.tokens[s.from[k]!]!, field.tokens[s.to[k]!]!)
    out.push({ text: span.text, weight: round(weight, 3), field: isTitle ? 'title' : 'text', start: span.start, end: span.end })
  }
  out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.start - b.start)
  return out
}

/**
 * Map a score in [-1, 1] to a label.
 *
 * @param score A sentiment score.
 * @returns `positive` at or above NEUTRAL_BAND, `negative` at or below -NEUTRAL_BAND, else `neutral`.
 */
export function labelOf(score: number): 'negative' | 'neutral' | 'positive' {
  return score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral'
}
