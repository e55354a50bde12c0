/**
 * Style features for the generated_text signal: lengths, punctuation and
 * capitalization rates, word-category rates (data/authenticity/style.txt),
 * type/token ratio, repetition, sentence-length variation. Computed from the
 * review's tokens in one pass; no per-word weights.
 */
import { type Doc, NO_WORD_ID, type Token, byteTableFor, hashOf } from '../text/index.js'
import { STYLE_CATEGORIES } from './generated/cues.js'

const CATEGORY_NAMES = Object.keys(STYLE_CATEGORIES).sort()
const CATEGORY_OF = new Map<string, number[]>()
CATEGORY_NAMES.forEach((name, c) => {
  for (const w of STYLE_CATEGORIES[name]!) {
    let list = CATEGORY_OF.get(w)
    if (list === undefined) CATEGORY_OF.set(w, (list = []))
    list.push(c)
  }
})

/** Names of the style features, in vector order. */
export const STYLE_FEATURES: readonly string[] = [
  'log_words',
  'log_chars_per_word',
  'log_sentences',
  'words_per_sentence',
  'sentence_length_cv',
  'type_token_ratio',
  'ttr_first_50',
  'repeated_bigrams',
  'repeated_trigrams',
  'comma_rate',
  'period_rate',
  'exclamation_rate',
  'question_rate',
  'paren_quote_rate',
  'dash_colon_rate',
  'ellipsis_rate',
  'number_rate',
  'caps_word_rate',
  'capitalized_inner_rate',
  'starts_lowercase',
  'ends_without_punct',
  'sentence_lowercase_start',
  'long_word_rate',
  'ly_rate',
  'ing_rate',
  'ed_rate',
  'emoji_rate',
  'apostrophe_rate',
  'sentiment',
  'sentiment_abs',
  ...CATEGORY_NAMES.map((c) => `cat_${c}`),
  ...CATEGORY_NAMES.map((c) => `cat_${c}_x_sentiment`),
]

const N_BASE = 30

const SENTENCE_END = new Set(['.', '!', '?', '…'])

/**
 * A set of 32-bit hashes reused across calls: open addressing with a
 * generation stamp per slot, so clearing is O(1) and adding allocates nothing.
 */
class HashSet32 {
  private keys = new Uint32Array(1024)
  private stamps = new Uint32Array(1024)
  private generation = 1
  size = 0

  clear(expected: number): void {
    if (expected * 2 > this.keys.length) {
      let n = this.keys.length
      while (n < expected * 2) n *= 2
      this.keys = new Uint32Array(n)
      this.stamps = new Uint32Array(n)
      this.generation = 0
    }
    this.generation++
    this.size = 0
  }

  /** Add a hash; true when it was not there yet. */
  add(h: number): boolean {
    const mask = this.keys.length - 1
    let i = Math.imul(h, 0x9e3779b1) >>> 0
    for (;;) {
      i &= mask
      if (this.stamps[i] !== this.generation) {
        this.stamps[i] = this.generation
        this.keys[i] = h
        this.size++
        return true
      }
      if (this.keys[i] === h) return false
      i++
    }
  }
}

// Scratch, reused per call.
const seen = new HashSet32()
const grams = new HashSet32()

// Per-word facts the feature pass reads, by word id, filled on first sight.
const FACTS_KNOWN = 1
const ENDS_LY = 2
const ENDS_ING = 4
const ENDS_ED = 8
const HAS_APOSTROPHE = 16
/** The word is in a style category: only then is `categoriesById` read (a cache miss each). */
const HAS_CATEGORIES = 32
let factsById = new Uint8Array(1024)
/** Word id → its style categories (as CATEGORY_OF), valid where HAS_CATEGORIES is set. */
const categoriesById: (number[] | undefined)[] = []

function factsOfKey(key: string): number {
  let facts = FACTS_KNOWN
  if (key.endsWith('ly')) facts |= ENDS_LY
  if (key.endsWith('ing')) facts |= ENDS_ING
  if (key.endsWith('ed')) facts |= ENDS_ED
  if (key.includes("'")) facts |= HAS_APOSTROPHE
  return facts
}

/** The suffix and apostrophe facts of a word token (cached by word id; its categories are cached with them). */
function factsOf(t: Token): number {
  const id = t.id
  if (id === NO_WORD_ID) return factsOfKey(t.key)
  factsById = byteTableFor(factsById, id)
  let facts = factsById[id]!
  if (facts === 0) {
    facts = factsOfKey(t.key)
    const categories = CATEGORY_OF.get(t.key)
    if (categories !== undefined) {
      facts |= HAS_CATEGORIES
      while (categoriesById.length <= id) categoriesById.push(undefined)
      categoriesById[id] = categories
    }
    factsById[id] = facts
  }
  return facts
}

function hashKey(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

function isUpper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)
}

function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xff && c !== 0xf7)
}

// Category counts of the call under way (a small off-heap buffer per call costs the GC more than its size).
const cats = new Float64Array(CATEGORY_NAMES.length)

/**
 * The style feature vector of a review body (see STYLE_FEATURES).
 *
 * @param doc The review's tokens.
 * @param sentiment The review's sentiment score in [-1, 1] (category rates are also crossed with it).
 * @param out Where to write the features (every entry is written); a new array by default.
 * @returns `out`, or a new Float64Array.
 */
export function styleFeatures(doc: Doc, sentiment: number, out: Float64Array | null = null): Float64Array {
  const f = out ?? new Float64Array(STYLE_FEATURES.length)
  const field = doc.body
  const clean = field.clean
  const tokens: Token[] = field.tokens
  let words = 0
  let wordChars = 0
  let commas = 0
  let periods = 0
  let exclaims = 0
  let questions = 0
  let parens = 0
  let dashes = 0
  let ellipses = 0
  let numbers = 0
  let capsWords = 0
  let innerCapitalized = 0
  let longWords = 0
  let ly = 0
  let ing = 0
  let ed = 0
  let emoji = 0
  let apostrophes = 0
  let sentences = 0
  let sentenceWords = 0
  let sumLen = 0
  let sumLen2 = 0
  let lowerStarts = 0
  let atSentenceStart = true
  seen.clear(tokens.length)
  let distinct50 = 0
  cats.fill(0)
  grams.clear(2 * tokens.length)
  let bigrams = 0
  let repeatedBi = 0
  let trigrams = 0
  let repeatedTri = 0
  let prev1 = 0
  let prev2 = 0
  let lastKind: Token['kind'] | null = null
  const closeSentence = () => {
    if (sentenceWords > 0) {
      sentences++
      sumLen += sentenceWords
      sumLen2 += sentenceWords * sentenceWords
    }
    sentenceWords = 0
    atSentenceStart = true
  }
  for (const t of tokens) {
    lastKind = t.kind
    if (t.kind === 'punct') {
      for (let i = t.start; i < t.end; i++) {
        const ch = clean[i]!
        if (ch === ',') commas++
        else if (ch === '.') periods++
        else if (ch === '!') exclaims++
        else if (ch === '?') questions++
        else if (ch === '(' || ch === ')' || ch === '"' || ch === '“' || ch === '”' || ch === '«' || ch === '»') parens++
        else if (ch === '-' || ch === '—' || ch === '–' || ch === ':' || ch === ';') dashes++
        else if (ch === '…') ellipses++
      }
      if (t.end - t.start >= 3 && clean.indexOf('...', t.start) !== -1 && clean.indexOf('...', t.start) + 3 <= t.end) ellipses++
      const last = clean[t.end - 1]!
      if (SENTENCE_END.has(last)) closeSentence()
      continue
    }
    if (t.kind === 'emoji' || t.kind === 'emoticon') {
      emoji++
      continue
    }
    if (t.kind !== 'word' && t.kind !== 'number') continue
    if (t.kind === 'number') numbers++
    words++
    sentenceWords++
    const len = t.end - t.start
    wordChars += len
    if (len >= 7) longWords++
    const key = t.key
    if (t.kind === 'word') {
      const c0 = clean.charCodeAt(t.start)
      if (t.caps && len >= 2) capsWords++
      else if (!atSentenceStart && isUpper(c0) && key !== 'i') innerCapitalized++
      if (atSentenceStart && isLower(c0)) lowerStarts++
      const facts = factsOf(t)
      if ((facts & ENDS_LY) !== 0) ly++
      if ((facts & ENDS_ING) !== 0) ing++
      if ((facts & ENDS_ED) !== 0) ed++
      if ((facts & HAS_APOSTROPHE) !== 0) apostrophes++
      const cs = t.id === NO_WORD_ID ? CATEGORY_OF.get(key) : (facts & HAS_CATEGORIES) !== 0 ? categoriesById[t.id] : undefined
      if (cs !== undefined) for (const c of cs) cats[c]!++
    }
    atSentenceStart = false
    // The word table keeps each word's FNV-1a hash: the same value as hashKey.
    const h = t.id === NO_WORD_ID ? hashKey(key) : hashOf(t.id) >>> 0
    if (seen.add(h) && words <= 50) distinct50++
    if (words >= 2) {
      const b = (Math.imul(prev1, 0x9e3779b1) ^ h) >>> 0
      bigrams++
      if (!grams.add(b)) repeatedBi++
    }
    if (words >= 3) {
      const tri = (Math.imul((Math.imul(prev2, 0x85ebca6b) ^ prev1) >>> 0, 0xc2b2ae35) ^ h ^ 0x5bd1e995) >>> 0
      trigrams++
      if (!grams.add(tri)) repeatedTri++
    }
    prev2 = prev1
    prev1 = h
  }
  const endsOpen = words > 0 && lastKind !== 'punct' && lastKind !== 'emoji' && lastKind !== 'emoticon' ? 1 : 0
  closeSentence()
  const w = Math.max(1, words)
  const meanLen = sentences === 0 ? 0 : sumLen / sentences
  const varLen = sentences === 0 ? 0 : Math.max(0, sumLen2 / sentences - meanLen * meanLen)
  let k = 0
  f[k++] = Math.log1p(words)
  f[k++] = Math.log1p(wordChars / w)
  f[k++] = Math.log1p(sentences)
  f[k++] = Math.min(60, meanLen) / 10
  f[k++] = meanLen === 0 ? 0 : Math.sqrt(varLen) / meanLen
  f[k++] = seen.size / w
  f[k++] = distinct50 / Math.min(50, w)
  f[k++] = bigrams === 0 ? 0 : repeatedBi / bigrams
  f[k++] = trigrams === 0 ? 0 : repeatedTri / trigrams
  f[k++] = commas / w
  f[k++] = periods / w
  f[k++] = exclaims / w
  f[k++] = questions / w
  f[k++] = parens / w
  f[k++] = dashes / w
  f[k++] = ellipses / w
  f[k++] = numbers / w
  f[k++] = capsWords / w
  f[k++] = innerCapitalized / w
  f[k++] = words > 0 && isLower(clean.charCodeAt(tokens.find((t) => t.kind === 'word')?.start ?? 0)) ? 1 : 0
  f[k++] = endsOpen
  f[k++] = sentences === 0 ? 0 : lowerStarts / sentences
  f[k++] = longWords / w
  f[k++] = ly / w
  f[k++] = ing / w
  f[k++] = ed / w
  f[k++] = emoji / w
  f[k++] = apostrophes / w
  f[k++] = sentiment
  f[k++] = Math.abs(sentiment)
  for (let c = 0; c < cats.length; c++) {
    f[N_BASE + c] = cats[c]! / w
    f[N_BASE + cats.length + c] = (cats[c]! / w) * sentiment
  }
  return f
}

/** A fitted logistic model over standardized style features. */
export interface StyleModel {
  mean: number[]
  scale: number[]
  weights: number[]
  bias: number
}

/** P(positive class) of a feature vector under a model. */
export function styleProbability(x: Float64Array, m: StyleModel): number {
  let z = m.bias
  for (let i = 0; i < x.length; i++) z += m.weights[i]! * ((x[i]! - m.mean[i]!) / m.scale[i]!)
  return 1 / (1 + Math.exp(-z))
}
