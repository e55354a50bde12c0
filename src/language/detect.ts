/**
 * es / it / en identification. Each distinct word of the review adds its
 * cached vector: eld's byte 4-gram scores for sixteen profiles (es, it, en and
 * thirteen other languages, near ones first), plus a bonus for the profiles
 * whose word list has it. The best profile wins; another language, no words,
 * or a coin flip between targets give `und`.
 */
import type { LanguageCode, LanguageResult } from '../review/index.js'
import type { Doc, FieldText } from '../text/index.js'
import { PROFILE_COUNT, TARGET_COUNT, WordVectors, loadModel } from './model.js'

/** The numbers the detector runs with; fitted by scripts/fit-language.ts (see its header for the rows). */
export interface DetectParams {
  /** Added to a profile for each distinct word in its word list. */
  wordBonus: number
  /** Subtracted once from every "other" profile: reviews here are es/it/en unless the text says otherwise. */
  otherPrior: number
  /** Softmax temperature turning score gaps into probabilities. */
  temperature: number
  /** Below this probability for the best target, the answer is `und`. */
  minConfidence: number
  /** Word tokens read per field (franc's MAX_LENGTH idea: long reviews are settled early). */
  maxWords: number
  /** Weight of the title's words against the body's. */
  titleWeight: number
}

// A word-list hit is worth about one extra matching n-gram (eld scores run 53–260).
const WORD_BONUS = 100
// Enough to settle one- and two-word ties toward es/it/en; a sentence of German
// or French outscores it many times over.
const OTHER_PRIOR = 200
// Score gap per e-fold of odds; fitted for log-loss (scripts/fit-language.ts).
const TEMPERATURE = 40
// Best target needs at least this probability, else `und`. With two close
// candidates (es vs it on "con") 0.55 means a gap under ~8 points, a coin flip.
// Costs 0.2 points on texts under 20 characters and 2 on single words, whose
// flipped answers were right half the time (scripts/fit-language.ts).
const MIN_CONFIDENCE = 0.55
// eld reads ~350 bytes; 64 words is about the same and keeps long reviews cheap.
const MAX_WORDS = 64
// The body is the main evidence; a title is short and often generic ("Five Stars"),
// so it counts half. (Not fitted: the dev titles are all English.)
const TITLE_WEIGHT = 0.5

/** The defaults `detectLanguage` uses. */
export const DEFAULT_DETECT_PARAMS: Readonly<DetectParams> = Object.freeze({
  wordBonus: WORD_BONUS,
  otherPrior: OTHER_PRIOR,
  temperature: TEMPERATURE,
  minConfidence: MIN_CONFIDENCE,
  maxWords: MAX_WORDS,
  titleWeight: TITLE_WEIGHT,
})

const CODES: LanguageCode[] = ['es', 'it', 'en']

// addField keeps one local sum per profile: sixteen of them.
if (PROFILE_COUNT !== 16) throw new Error(`language model has ${PROFILE_COUNT} profiles; addField sums 16`)

let vectors: WordVectors | null = null
let textId = 0
const totals = new Float64Array(PROFILE_COUNT)

/** Profile scores of a doc, before priors: one entry per profile (a shared buffer: copy to keep). */
export function scoreProfiles(doc: Doc, params: Readonly<DetectParams> = DEFAULT_DETECT_PARAMS): Float64Array {
  if (vectors === null || vectors.bonus !== params.wordBonus) vectors = new WordVectors(loadModel(), params.wordBonus)
  return scoreProfilesWith(vectors, doc, params)
}

/** `scoreProfiles` with a given word-vector cache (tests give one with few slots). */
export function scoreProfilesWith(vec: WordVectors, doc: Doc, params: Readonly<DetectParams> = DEFAULT_DETECT_PARAMS): Float64Array {
  totals.fill(0)
  // Stamps mark words already counted in this text; wrap long before 2^32.
  if (++textId === 0xffffffff) {
    vec.clearStamps()
    textId = 1
  }
  addField(vec, doc.body, 1, params.maxWords)
  if (doc.title !== null && params.titleWeight > 0) addField(vec, doc.title, params.titleWeight, params.maxWords)
  return totals
}

function addField(vec: WordVectors, field: FieldText, weight: number, maxWords: number): void {
  const tokens = field.tokens
  let read = 0
  // The sixteen sums live in locals through the loop (one add per profile
  // and word, in the same order as adding into `totals`, so the same sums).
  let s0 = totals[0]!, s1 = totals[1]!, s2 = totals[2]!, s3 = totals[3]!, s4 = totals[4]!, s5 = totals[5]!, s6 = totals[6]!, s7 = totals[7]!
  let s8 = totals[8]!, s9 = totals[9]!, s10 = totals[10]!, s11 = totals[11]!, s12 = totals[12]!, s13 = totals[13]!, s14 = totals[14]!, s15 = totals[15]!
  for (let t = 0; t < tokens.length && read < maxWords; t++) {
    const token = tokens[t]!
    if (token.kind !== 'word') continue
    read++
    const slot = vec.slotOf(token.norm, token.key, token.normId)
    if (slot !== vec.spare) {
      if (vec.stamps[slot] === textId) continue
      vec.stamps[slot] = textId
    } else if (!vec.firstUncached(token.norm, textId)) continue
    const v = vec.vectors
    const b = slot * PROFILE_COUNT
    // The body's weight is 1: skip the multiplication (x * 1 is x, so the sums are the same).
    if (weight === 1) {
      s0 += v[b]!, s1 += v[b + 1]!, s2 += v[b + 2]!, s3 += v[b + 3]!, s4 += v[b + 4]!, s5 += v[b + 5]!, s6 += v[b + 6]!, s7 += v[b + 7]!
      s8 += v[b + 8]!, s9 += v[b + 9]!, s10 += v[b + 10]!, s11 += v[b + 11]!, s12 += v[b + 12]!, s13 += v[b + 13]!, s14 += v[b + 14]!, s15 += v[b + 15]!
    } else {
      const w = weight
      s0 += w * v[b]!, s1 += w * v[b + 1]!, s2 += w * v[b + 2]!, s3 += w * v[b + 3]!
      s4 += w * v[b + 4]!, s5 += w * v[b + 5]!, s6 += w * v[b + 6]!, s7 += w * v[b + 7]!
      s8 += w * v[b + 8]!, s9 += w * v[b + 9]!, s10 += w * v[b + 10]!, s11 += w * v[b + 11]!
      s12 += w * v[b + 12]!, s13 += w * v[b + 13]!, s14 += w * v[b + 14]!, s15 += w * v[b + 15]!
    }
  }
  totals[0] = s0, totals[1] = s1, totals[2] = s2, totals[3] = s3, totals[4] = s4, totals[5] = s5, totals[6] = s6, totals[7] = s7
  totals[8] = s8, totals[9] = s9, totals[10] = s10, totals[11] = s11, totals[12] = s12, totals[13] = s13, totals[14] = s14, totals[15] = s15
}

/**
 * Turn profile scores into a result. `und` carries the probability that the
 * text is in none of es/it/en (0 when there is no evidence at all).
 */
export function decideLanguage(scores: Float64Array, params: Readonly<DetectParams> = DEFAULT_DETECT_PARAMS): LanguageResult {
  let best = -1
  let top = 0
  for (let p = 0; p < PROFILE_COUNT; p++) if (scores[p]! > top) top = scores[p]!
  if (top === 0) return { code: 'und', confidence: 0, source: 'detected' }
  const temperature = params.temperature
  let bestScore = -Infinity
  for (let p = 0; p < PROFILE_COUNT; p++) {
    const s = p < TARGET_COUNT ? scores[p]! : scores[p]! - params.otherPrior
    if (s > bestScore) {
      bestScore = s
      best = p
    }
  }
  let sum = 0
  let other = 0
  for (let p = 0; p < PROFILE_COUNT; p++) {
    const s = p < TARGET_COUNT ? scores[p]! : scores[p]! - params.otherPrior
    const e = Math.exp((s - bestScore) / temperature)
    sum += e
    if (p >= TARGET_COUNT) other += e
  }
  const pBest = 1 / sum
  if (best >= TARGET_COUNT) return { code: 'und', confidence: round(other / sum), source: 'detected' }
  if (pBest < params.minConfidence) return { code: 'und', confidence: round(other / sum), source: 'detected' }
  return { code: CODES[best]!, confidence: round(pBest), source: 'detected' }
}

/**
 * Forget the cached word vectors, so the next text starts as in a fresh
 * process (benchmarks measure both cold and warm caches).
 */
export function resetLanguageCache(): void {
  vectors = null
  textId = 0
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}

/**
 * Identify es / it / en from a review's words, or `und` when the text gives no
 * evidence, reads as another language, or is a tie.
 * @param doc the review's normalized text (body, and title when present).
 * @returns the language code, its probability (0–1), and `source: 'detected'`.
 */
export function detectLanguage(doc: Doc): LanguageResult {
  return decideLanguage(scoreProfiles(doc))
}
