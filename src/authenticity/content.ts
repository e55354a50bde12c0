/**
 * Per-review authenticity signals (no batch needed): unverified,
 * rating_mismatch, incentivized, spam, low_information, generated_text. Each
 * carries a reason a moderator can read and, for text cues, the exact phrase.
 * Signals come in this order, always (the batch pass relies on it).
 */
import type { LanguageCode, Review, SentimentResult, Signal } from '../review/index.js'
import { type Doc, type FieldText, type Token, spanOf } from '../text/index.js'
import { type CueIndex, type CueMatch, compileCues, matchCues, wordTokens } from './cues.js'
import { GENERIC_WORDS, INCENTIVE_CUES, SPAM_CUES } from './generated/cues.js'
import { FABRICATED, MACHINE } from './generated/style-models.js'
import { round3 } from './stats.js'
import { STYLE_FEATURES, styleFeatures, styleProbability } from './style.js'

const INCENTIVES: CueIndex = compileCues(INCENTIVE_CUES)
const SPAM: CueIndex = compileCues(SPAM_CUES)

/** Words that cancel an incentive disclosure when among the 3 words before it. */
const NEGATIONS = new Set(['not', 'no', 'never', "didn't", "wasn't", "don't", "doesn't", "haven't", "hasn't", 'nunca', 'jamas', 'ni', 'non', 'mai', 'ne'])

/** A negation right before these words is not one ("at no cost", "sin coste", "senza costi"). */
const NOT_NEGATING = new Set(['cost', 'charge', 'extra', 'coste', 'costo', 'cargo', 'costi', 'spese'])

const GENERIC = {
  en: new Set(GENERIC_WORDS.en),
  es: new Set(GENERIC_WORDS.es),
  it: new Set(GENERIC_WORDS.it),
  all: new Set([...GENERIC_WORDS.en!, ...GENERIC_WORDS.es!, ...GENERIC_WORDS.it!]),
}

/** rating_mismatch: the stars and the text's star estimate differ by at least this much. */
export const MISMATCH_MIN_GAP = 2

/** rating_mismatch: the sentiment must be at least this confident. */
export const MISMATCH_MIN_CONFIDENCE = 0.3

/** low_information: bodies of at most this many words, all generic. */
export const LOW_INFO_MAX_WORDS = 6

/** spam: score from which the text is spam; cue weights in data/authenticity/spam.txt. */
export const SPAM_MIN_SCORE = 0.5
const SPAM_URL = 0.5
/** A bare domain ("amazon.com": no scheme, www or path) is usually a store's name, not a link to follow. */
const SPAM_BARE_DOMAIN = 0.2
/** Hosts on these top-level domains, or with digits or hyphens, count as full links even when bare. */
const SUSPICIOUS_TLD = new Set(['ru', 'cn', 'tk', 'xyz', 'top', 'club', 'click', 'win', 'bet', 'vip', 'ws', 'cc', 'link', 'online', 'site', 'shop', 'store', 'live', 'pro', 'ly', 'gl', 'to'])
const SPAM_EMAIL = 0.6
const SPAM_PHONE = 0.6
/** A code-like token (SAVE20, XJ7K2) within 3 words after a promo cue. */
const SPAM_CODE = 0.3
/** Added when the text is in none of es/it/en and has a spam cue. */
const SPAM_UND = 0.2

/**
 * generated_text: the style probability from which the signal fires (strength
 * 0 there, 1 at probability 1). With GENERATED_MIN_WORDS it fires on 5–6% of
 * genuine English reviews (MARC en, Amazon 2018) and on 37% of fake_generated
 * (most of them its GPT-2 half); see benchmarks/results/authenticity.md.
 */
export const GENERATED_MIN_PROBABILITY = 0.8

/**
 * The fabricated-review model was fitted on hotel reviews of 60+ words; on
 * shorter texts it extrapolates (it fires on a third of short product reviews),
 * so it only scores bodies of at least this many words.
 */
export const FABRICATED_MIN_WORDS = 50

/** Longest phrase quoted in a reason, in characters. */
const MAX_PHRASE = 160

function quote(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return `“${t.length > MAX_PHRASE ? `${t.slice(0, MAX_PHRASE - 1)}…` : t}”`
}

function ratingMismatch(review: Review, sentiment: SentimentResult): Signal | null {
  const rating = review.rating
  if (rating === undefined || sentiment.confidence < MISMATCH_MIN_CONFIDENCE) return null
  const gap = rating - sentiment.stars
  const contradicts =
    (rating >= 4 && sentiment.label === 'negative' && gap >= MISMATCH_MIN_GAP) ||
    (rating <= 2 && sentiment.label === 'positive' && -gap >= MISMATCH_MIN_GAP)
  if (!contradicts) return null
  // 0.25 at the minimum gap, 1 from a 3.5-star gap; scaled by the sentiment's confidence.
  const size = Math.min(1, 0.25 + (Math.abs(gap) - MISMATCH_MIN_GAP) / 2)
  const strength = round3(size * (0.5 + 0.5 * sentiment.confidence))
  const tone = gap > 0 ? 'negative' : 'positive'
  const stars = Math.round(sentiment.stars * 10) / 10
  const ratingText = Number.isInteger(rating) ? String(rating) : rating.toFixed(1)
  return {
    type: 'rating_mismatch',
    strength,
    reason: `rated ${ratingText} ${rating === 1 ? 'star' : 'stars'} but the text reads ${tone} (about ${stars} stars)`,
  }
}

interface Found {
  field: FieldText
  words: Token[]
  from: number
  to: number
  strength: number
}

/** Matches merged into phrases: overlapping or adjacent (≤ 2 words apart) matches become one span. */
function phrases(field: FieldText, words: Token[], matches: CueMatch[]): Found[] {
  const sorted = matches.slice().sort((a, b) => a.from - b.from || b.to - a.to)
  const out: Found[] = []
  for (const m of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && m.from <= last.to + 3) {
      last.to = Math.max(last.to, m.to)
      last.strength = Math.max(last.strength, m.cue.strength)
    } else out.push({ field, words, from: m.from, to: m.to, strength: m.cue.strength })
  }
  return out
}

/**
 * The word and number tokens of the body and title, made once per review for
 * both cue passes into buffers reused across reviews (read before the next
 * review's `contentSignals` refills them).
 */
const bodyWords: Token[] = []
const titleWords: Token[] = []

function fieldsWithWords(doc: Doc): [FieldText, Token[]][] {
  return doc.title === null ? [[doc.body, bodyWords]] : [[doc.body, bodyWords], [doc.title, titleWords]]
}

function incentivized(doc: Doc): Signal | null {
  let best: Found | null = null
  for (const [field, words] of fieldsWithWords(doc)) {
    const found = phrases(field, words, matchCues(INCENTIVES, words, NEGATIONS, 3, NOT_NEGATING))
    for (const f of found) if (best === null || f.strength > best.strength) best = f
  }
  if (best === null) return null
  const phrase = spanOf(best.field, best.words[best.from]!, best.words[best.to]!).text
  const what =
    best.strength >= 1
      ? 'discloses a review given in exchange for a free product, discount or payment'
      : best.strength >= 0.8
        ? 'discloses a free or discounted product'
        : 'mentions a product-testing programme or a free sample'
  return { type: 'incentivized', strength: best.strength, reason: `${what}: ${quote(phrase)}`, phrase }
}

const CATEGORY_LABEL: Record<string, string> = {
  contact: 'contact bait',
  promo: 'a promo code',
  pharma: 'pharma vocabulary',
  casino: 'casino or betting vocabulary',
  crypto: 'crypto or trading vocabulary',
  loan: 'loan or easy-money vocabulary',
}

function codeLike(t: Token, clean: string): boolean {
  if (t.kind === 'number') return false
  const s = clean.slice(t.start, t.end)
  if (s.length < 4 || s.length > 16) return false
  let letters = 0
  let digits = 0
  let upper = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c >= 65 && c <= 90) {
      letters++
      upper++
    } else if (c >= 97 && c <= 122) letters++
  }
  return letters > 0 && ((digits > 0 && letters + digits === s.length) || (upper === s.length && s.length >= 5))
}

/**
 * Spam weight of a URL token: full for links with a scheme, www or a path, or
 * a suspicious host; SPAM_BARE_DOMAIN for other bare domains; 0 for two words
 * run together across a sentence end ("llegó.Es", "calidad.es muy").
 */
function linkWeight(text: string): number {
  if (/^(?:https?:\/\/|www\.)/i.test(text) || text.includes('/')) return SPAM_URL
  const dot = text.lastIndexOf('.')
  const tld = text.slice(dot + 1)
  const host = text.slice(0, dot)
  if (tld !== tld.toLowerCase()) return 0
  if (!host.includes('.') && /^[a-zà-ÿ]+$/.test(host) && (tld === 'es' || tld === 'it' || tld === 'io' || tld === 'me' || tld === 'de')) return 0
  if (SUSPICIOUS_TLD.has(tld) || /[\d-]/.test(host)) return SPAM_URL
  return SPAM_BARE_DOMAIN
}

function spam(doc: Doc, lang: LanguageCode): Signal | null {
  let score = 0
  const evidence: string[] = []
  let phrase: string | undefined
  // Made on the first cue piece: most reviews have none.
  let seenCues: Set<number> | null = null
  const kinds = { url: false, email: false, phone: false }
  for (const [field, words] of fieldsWithWords(doc)) {
    for (const t of field.tokens) {
      if (t.kind === 'url') {
        const text = spanOf(field, t).text
        const weight = linkWeight(text)
        if (weight === 0 || (kinds.url && weight <= SPAM_BARE_DOMAIN)) continue
        if (!kinds.url) {
          kinds.url = true
          score += weight
          evidence.push(`a link (${text})`)
          phrase ??= text
        }
      } else if ((t.kind === 'email' || t.kind === 'phone') && !kinds[t.kind]) {
        kinds[t.kind] = true
        const text = spanOf(field, t).text
        score += t.kind === 'email' ? SPAM_EMAIL : SPAM_PHONE
        evidence.push(`${t.kind === 'email' ? 'an e-mail address' : 'a phone number'} (${text})`)
        phrase ??= text
      }
    }
    // Overlapping matches of one category are one piece of evidence (the heaviest cue counts).
    const pieces: { section: string; from: number; to: number; weight: number; id: number }[] = []
    for (const m of matchCues(SPAM, words).sort((a, b) => a.from - b.from || b.to - a.to)) {
      const same = pieces.find((p) => p.section === m.cue.section && m.from <= p.to && m.to >= p.from)
      if (same !== undefined) {
        same.from = Math.min(same.from, m.from)
        same.to = Math.max(same.to, m.to)
        same.weight = Math.max(same.weight, m.cue.strength)
        continue
      }
      pieces.push({ section: m.cue.section, from: m.from, to: m.to, weight: m.cue.strength, id: m.cue.id })
    }
    for (const piece of pieces) {
      seenCues ??= new Set()
      if (seenCues.has(piece.id)) continue
      seenCues.add(piece.id)
      const text = spanOf(field, words[piece.from]!, words[piece.to]!).text
      score += piece.weight
      let extra = ''
      if (piece.section === 'promo') {
        for (let k = piece.to + 1; k <= Math.min(words.length - 1, piece.to + 3); k++) {
          if (codeLike(words[k]!, field.clean)) {
            score += SPAM_CODE
            extra = ` ${spanOf(field, words[k]!).text}`
            break
          }
        }
      }
      evidence.push(`${CATEGORY_LABEL[piece.section] ?? piece.section} (${quote(text + extra)})`)
      phrase ??= text + extra
    }
  }
  if (score === 0) return null
  if (lang === 'und') {
    score += SPAM_UND
    evidence.push('and it is in no review language')
  }
  if (score < SPAM_MIN_SCORE) return null
  const signal: Signal = { type: 'spam', strength: round3(Math.min(1, score)), reason: `looks like spam: ${evidence.join(', ')}` }
  if (phrase !== undefined) signal.phrase = phrase
  return signal
}

function lowInformation(doc: Doc, lang: LanguageCode): Signal | null {
  const generic = lang === 'und' ? GENERIC.all : GENERIC[lang]
  let words = 0
  for (const t of doc.body.tokens) {
    if (t.kind !== 'word' && t.kind !== 'number') continue
    words++
    if (words > LOW_INFO_MAX_WORDS) return null
    if (!generic.has(t.key) && !GENERIC.all.has(t.key)) return null
  }
  const text = doc.body.original.trim()
  if (words === 0) {
    // Quoted as cleaned: control characters and markup the normalizer removed are no
    // evidence, and a NUL in a result is refused by databases (PostgreSQL text and jsonb).
    const shown = doc.body.clean.trim()
    const reason = text === '' ? 'the text is empty' : shown === '' ? 'the text has no words' : `the text has no words: ${quote(shown)}`
    return { type: 'low_information', strength: 1, reason, phrase: shown }
  }
  return {
    type: 'low_information',
    strength: round3(1 - (0.5 * (words - 1)) / (LOW_INFO_MAX_WORDS - 1)),
    reason: `very short generic praise with no detail: ${quote(text)}`,
    phrase: text,
  }
}

/** The style features of the review under way, rewritten by each call. */
const features = new Float64Array(STYLE_FEATURES.length)

function generatedText(doc: Doc, lang: LanguageCode, sentiment: SentimentResult): Signal | null {
  // English-scoped: both models were fitted on English reviews only.
  if (lang !== 'en') return null
  let words = 0
  for (const t of doc.body.tokens) if (t.kind === 'word') words++
  if (words < GENERATED_MIN_WORDS) return null
  const x = styleFeatures(doc, sentiment.score, features)
  const machine = styleProbability(x, MACHINE)
  const fabricated = words >= FABRICATED_MIN_WORDS ? styleProbability(x, FABRICATED) : 0
  const p = Math.max(machine, fabricated)
  if (p < GENERATED_MIN_PROBABILITY) return null
  const strength = round3((p - GENERATED_MIN_PROBABILITY) / (1 - GENERATED_MIN_PROBABILITY))
  if (strength <= 0) return null
  const what =
    machine >= fabricated
      ? `its style resembles machine-generated reviews (style model ${machine.toFixed(2)})`
      : `its style resembles fabricated reviews written to order (style model ${fabricated.toFixed(2)})`
  return { type: 'generated_text', strength, reason: what }
}

/** generated_text: bodies shorter than this many words are not scored. */
export const GENERATED_MIN_WORDS = 15

/**
 * Per-review signals (no batch needed), in a fixed order: unverified,
 * rating_mismatch, incentivized, spam, low_information, generated_text.
 *
 * @param doc The review's tokens.
 * @param review The validated review (rating, verified flag).
 * @param lang Its language (`und` when none of es/it/en).
 * @param sentiment Its sentiment result.
 * @returns The signals that fired.
 */
export function contentSignals(doc: Doc, review: Review, lang: LanguageCode, sentiment: SentimentResult): Signal[] {
  wordTokens(doc.body, bodyWords)
  if (doc.title !== null) wordTokens(doc.title, titleWords)
  const signals: Signal[] = []
  if (review.verified === false) {
    signals.push({ type: 'unverified', strength: 1, reason: 'the platform says the purchase was not verified' })
  }
  const mismatch = ratingMismatch(review, sentiment)
  if (mismatch !== null) signals.push(mismatch)
  const incentive = incentivized(doc)
  if (incentive !== null) signals.push(incentive)
  const spammy = spam(doc, lang)
  if (spammy !== null) signals.push(spammy)
  const low = lowInformation(doc, lang)
  if (low !== null) signals.push(low)
  const generated = generatedText(doc, lang, sentiment)
  if (generated !== null) signals.push(generated)
  return signals
}
