/**
 * The token pass: one left-to-right walk over a field's tokens that finds the
 * lexicon terms (longest phrase first), applies negation scope, intensifiers,
 * caps, elongation, exclamation and contrast, and records each piece of
 * evidence with its class. Linear in the number of tokens: phrase lookups are
 * bounded by the longest phrase, contrast factors are applied once per sentence
 * by a backward walk, and no regex runs per token.
 */
import type { Token } from '../text/index.js'
import type { EngineParams } from './params.js'
import { EXACT, HAS_NEXT, IRREALIS_OPENER, type Lexicon, NEGATED, NEGATOR, NO_NODE, PAYLOAD, STAR, STEMMED, childOf, emojiTable, lookupStem, rootNode } from './lexicon.js'

/** Evidence classes: the aggregate model weighs each class's mass separately. */
export const POSITIVE = 0
export const NEGATIVE = 1
/** A positive term inside a negation scope ("not good"). */
export const NEGATED_POSITIVE = 2
/** A negative term inside a negation scope ("not bad"). */
export const NEGATED_NEGATIVE = 3
/** How many classes there are. Emoji and emoticons count with the words (their weights are on the same scale). */
export const CLASS_COUNT = 4

/** Intensifiers reach the next sentiment term within this many tokens (format). */
const INTENSIFIER_REACH = 3
/** A written rating ("4 stars", "8/10", ★★★★☆) counts as a term of (stars − 3) × this weight. */
const RATING_UNIT = 2
/** After "5 stars", these words say the stars are other people's ("5 star reviews"). */
const OTHER_REVIEWS = new Set(['review', 'reviews', 'rating', 'ratings', 'resena', 'resenas', 'opinion', 'opiniones', 'valoraciones', 'recensione', 'recensioni', 'valutazioni'])
/** Capitals count as emphasis from this length on ("OK" is how many people write ok). */
const MIN_CAPS_LENGTH = 3
/** Ratings are clamped to the lexicon's weight range. */
const MAX_TERM = 4

const NUMBER_WORDS = new Map<string, number>([
  ['zero', 0], ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5],
  ['cero', 0], ['uno', 1], ['una', 1], ['dos', 2], ['tres', 3], ['cuatro', 4], ['cinco', 5],
  ['due', 2], ['tre', 3], ['quattro', 4], ['cinque', 5],
])

/** Reusable buffers for one review's evidence (grown on demand, reused across calls). */
export class Scratch {
  count = 0
  /** First and last token of each piece of evidence. */
  from = new Int32Array(64)
  to = new Int32Array(64)
  /** 0 body, 1 title. */
  field = new Uint8Array(64)
  cls = new Uint8Array(64)
  /** Magnitude after every modifier (always ≥ 0; the class carries the sign). */
  value = new Float64Array(64)
  /** Summed magnitude per class. */
  sums = new Float64Array(CLASS_COUNT)
  words = 0
  questions = 0
  exclamations = 0
  // Per-sentence contrast markers: evidence index and the before-factor.
  markAt = new Int32Array(16)
  markBefore = new Float64Array(16)
  marks = 0
  // Sentence bookkeeping of the field being scanned (evidence indices).
  sentStart = 0
  prevStart = -1
  prevEnd = -1

  reset(): void {
    this.count = 0
    this.sums.fill(0)
    this.words = 0
    this.questions = 0
    this.exclamations = 0
    this.marks = 0
  }

  push(from: number, to: number, field: number, cls: number, value: number): void {
    if (this.count === this.from.length) this.grow()
    const k = this.count++
    this.from[k] = from
    this.to[k] = to
    this.field[k] = field
    this.cls[k] = cls
    this.value[k] = value
  }

  mark(at: number, before: number): void {
    if (this.marks === this.markAt.length) {
      const a = new Int32Array(this.marks * 2)
      a.set(this.markAt)
      this.markAt = a
      const b = new Float64Array(this.marks * 2)
      b.set(this.markBefore)
      this.markBefore = b
    }
    this.markAt[this.marks] = at
    this.markBefore[this.marks++] = before
  }

  private grow(): void {
    const n = this.from.length * 2
    const from = new Int32Array(n)
    from.set(this.from)
    this.from = from
    const to = new Int32Array(n)
    to.set(this.to)
    this.to = to
    const field = new Uint8Array(n)
    field.set(this.field)
    this.field = field
    const cls = new Uint8Array(n)
    cls.set(this.cls)
    this.cls = cls
    const value = new Float64Array(n)
    value.set(this.value)
    this.value = value
  }
}

/** A lookup that falls back on the elongation-free spellings of a squeezed key ("buenisimoo"). */
function lookupElongated(root: Map<string, number>, key: string): number {
  for (let i = key.length - 1; i > 0; i--) {
    if (key.charCodeAt(i) === key.charCodeAt(i - 1)) {
      const n = root.get(key.slice(0, i) + key.slice(i + 1))
      if (n !== undefined) return n
    }
  }
  return NO_NODE
}

function stripEmoji(key: string): string {
  let out = ''
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c === 0xfe0f || c === 0xfe0e) continue
    if (c === 0xd83c && i + 1 < key.length) {
      const d = key.charCodeAt(i + 1)
      if (d >= 0xdffb && d <= 0xdfff) {
        i++
        continue
      }
    }
    out += key[i]
  }
  return out
}

/** Node `n` has a payload and, if it names accented forms, the tokens from `from` are written so. */
function applies(lex: Lexicon, n: number, tokens: readonly Token[], from: number): boolean {
  const f = lex.flags[n]!
  return (f & PAYLOAD) !== 0 && ((f & EXACT) === 0 || asWritten(tokens, from, lex.exact.get(n)!))
}

/** The tokens from `from` on are written exactly as `norms` (accents included). */
function asWritten(tokens: readonly Token[], from: number, norms: string[]): boolean {
  for (let k = 0; k < norms.length; k++) if (tokens[from + k]!.norm !== norms[k]) return false
  return true
}

/** What a punctuation token does: 2 ends a sentence, 1 ends a clause, 0 nothing. */
function punctRole(norm: string, s: Scratch): number {
  let role = 0
  for (let i = 0; i < norm.length; i++) {
    const c = norm.charCodeAt(i)
    if (c === 0x21 /* ! */) {
      s.exclamations++
      role = 2
    } else if (c === 0x3f /* ? */) {
      s.questions++
      role = 2
    } else if (c === 0x2e /* . */ || c === 0x3b /* ; */ || c === 0x2026 /* … */) role = 2
    else if (role === 0 && c !== 0x22 && c !== 0xab && c !== 0xbb && c !== 0x201c && c !== 0x201d && c !== 0x201e)
      role = 1
  }
  return role
}

function countChar(s: string, code: number): number {
  let n = 0
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === code) n++
  return n
}

/** The rating written as "x/5" or "x/10", in stars (0–5), or -1. */
function fractionRating(key: string): number {
  const slash = key.indexOf('/')
  if (slash <= 0) return -1
  const num = Number(key.slice(0, slash).replace(',', '.'))
  const den = Number(key.slice(slash + 1))
  if (!(den === 5 || den === 10) || !(num >= 0 && num <= den)) return -1
  return (num / den) * 5
}

function ratingTerm(stars: number): number {
  const v = (stars - 3) * RATING_UNIT
  return v > MAX_TERM ? MAX_TERM : v < -MAX_TERM ? -MAX_TERM : v
}

/** Apply the sentence's contrast and exclamation factors to its evidence, then start a new sentence. */
function closeSentence(s: Scratch, p: EngineParams, exclamations: number): void {
  const boost = 1 + p.exclamationBoost * (exclamations > 3 ? 3 : exclamations)
  const start = s.sentStart
  if (boost !== 1 || s.marks > 0) {
    let prod = 1
    let m = s.marks - 1
    for (let k = s.count - 1; k >= start; k--) {
      while (m >= 0 && s.markAt[m]! > k) prod *= s.markBefore[m--]!
      s.value[k] = s.value[k]! * prod * boost
    }
  }
  if (s.count > start) {
    s.prevStart = start
    s.prevEnd = s.count
  }
  s.sentStart = s.count
  s.marks = 0
}

/** Record a run of rating stars (★★★★☆) as a rating term. */
function flushStars(s: Scratch, fieldId: number, from: number, filled: number, empty: number, weight: number): void {
  const total = filled + empty
  if (total === 5 || (empty === 0 && total >= 3 && total <= 5)) {
    const v = ratingTerm(filled) * weight
    if (v !== 0) s.push(from, from + total - 1, fieldId, v > 0 ? POSITIVE : NEGATIVE, Math.abs(v))
  }
}

/**
 * Scan one field and append its evidence to `s`.
 *
 * @param tokens The field's tokens.
 * @param fieldId 0 for the body, 1 for the title.
 * @param lex The language's compiled lexicon.
 * @param p Engine parameters (negation scope, boosts, contrast power).
 * @param weight Multiplier for every term of this field (the title weight for titles).
 * @param s Scratch buffers receiving the evidence.
 */
export function scanField(
  tokens: readonly Token[],
  fieldId: number,
  lex: Lexicon,
  p: EngineParams,
  weight: number,
  s: Scratch,
): void {
  const root = lex.root
  const flags = lex.flags
  const n = tokens.length
  s.sentStart = s.count
  s.prevStart = -1
  s.prevEnd = -1
  s.marks = 0
  let sentWords = 0
  let negLeft = 0
  let irrealis = false
  let intFactor = 1
  let intLeft = 0
  let after = 1
  let concessive = false
  let concessiveMain = 1
  let starFilled = 0
  let starEmpty = 0
  let starFrom = -1

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!
    const kind = t.kind
    if (starFrom !== -1 && kind !== 'emoji') {
      flushStars(s, fieldId, starFrom, starFilled, starEmpty, weight * after)
      starFrom = -1
    }
    if (kind === 'word') {
      s.words++
      const key = t.key
      let node = rootNode(lex, key, t.id)
      if (node === NO_NODE && t.elongated) node = lookupElongated(root, key)
      if (node === NO_NODE && lex.stems !== null && p.stemFactor > 0) node = lookupStem(lex, key, t.id)
      if (node === NO_NODE) {
        sentWords++
        if (negLeft > 0) negLeft--
        if (intLeft > 0) intLeft--
        continue
      }
      // Written ratings: "4 stars", "five stars", "cinco estrellas" (the star word looks back).
      if ((flags[node]! & STAR) !== 0 && i > 0) {
        const prev = tokens[i - 1]!
        const num = prev.kind === 'number' ? Number(prev.key) : prev.kind === 'word' ? NUMBER_WORDS.get(prev.key) : undefined
        // "5 star reviews" are other people's ratings, not this one.
        const next = i + 1 < n ? tokens[i + 1]!.key : ''
        if (num !== undefined && num >= 0 && num <= 10 && !OTHER_REVIEWS.has(next)) {
          const v = ratingTerm(num > 5 ? 5 : num) * weight
          if (v !== 0) s.push(i - 1, i, fieldId, v > 0 ? POSITIVE : NEGATIVE, Math.abs(v) * after)
          sentWords++
          continue
        }
      }
      // Longest phrase with a payload, not crossing punctuation.
      let best = applies(lex, node, tokens, i) ? node : NO_NODE
      let bestEnd = i
      let cur = node
      for (let j = i + 1; (flags[cur]! & HAS_NEXT) !== 0 && j < n; j++) {
        const nt = tokens[j]!
        if (nt.kind !== 'word' && nt.kind !== 'number') break
        const nx = childOf(lex, cur, nt)
        if (nx === NO_NODE) break
        cur = nx
        if (applies(lex, cur, tokens, i)) {
          best = cur
          bestEnd = j
        }
      }
      if (best === NO_NODE) {
        // Unaccented tokens match the folded word; accented ones only as written ("sí" is not "si").
        if ((flags[node]! & IRREALIS_OPENER) !== 0 && (t.norm === t.key || t.norm === lex.irrealis.get(node))) irrealis = true
        sentWords++
        if (negLeft > 0) negLeft--
        if (intLeft > 0) intLeft--
        continue
      }
      const span = bestEnd - i + 1
      const w = lex.weight[best]!
      const bestFlags = flags[best]!
      let isSentiment = w === w && w !== 0
      // "pretty good": a word that is both an intensifier and a sentiment term intensifies when a term follows.
      if (isSentiment && lex.factor[best]! > 0 && bestEnd + 1 < n) {
        const nx = root.get(tokens[bestEnd + 1]!.key)
        if (nx !== undefined && lex.weight[nx] === lex.weight[nx] && lex.weight[nx] !== 0) isSentiment = false
      }
      if (isSentiment) {
        let mod = weight * after
        if (intLeft > 0) {
          mod *= p.intensifierPower === 1 ? intFactor : Math.pow(intFactor, p.intensifierPower)
          intLeft = 0
          intFactor = 1
        }
        let caps = false
        let elongated = false
        for (let j = i; j <= bestEnd; j++) {
          const tj = tokens[j]!
          if (tj.caps && tj.end - tj.start >= MIN_CAPS_LENGTH) caps = true
          if (tj.elongated) elongated = true
        }
        if (caps) mod *= p.capsBoost
        if (elongated) mod *= p.elongationBoost
        if ((bestFlags & STEMMED) !== 0) mod *= p.stemFactor
        if (irrealis) mod *= p.irrealisFactor
        const negated = negLeft > 0 && (bestFlags & NEGATED) === 0
        const cls = w > 0 ? (negated ? NEGATED_POSITIVE : POSITIVE) : negated ? NEGATED_NEGATIVE : NEGATIVE
        s.push(i, bestEnd, fieldId, cls, Math.abs(w) * mod)
        // A phrase that carries a negator passes it on: "non proprio soddisfacente", "doesn't work great".
        if ((bestFlags & NEGATED) !== 0) negLeft = p.negationScope
        else if (negated && p.negationOnce) negLeft = 0
        else if (negLeft > 0) negLeft = negLeft > span ? negLeft - span : 0
      } else if ((bestFlags & NEGATOR) !== 0) {
        negLeft = p.negationScope
      } else if (lex.before[best]! > 0) {
        const bb = lex.before[best]!
        const ba = lex.after[best]!
        const cb = p.contrastPower === 1 ? bb : Math.pow(bb, p.contrastPower)
        const ca = p.contrastPower === 1 ? ba : Math.pow(ba, p.contrastPower)
        const opens = sentWords === 0
        if (opens && ca < 1) {
          // "Aunque es caro, funciona bien": the concession runs to the first clause boundary.
          concessive = true
          concessiveMain = cb
        } else if (opens) {
          // "… It looks nice. But it broke.": the previous sentence is what came before.
          for (let k = s.prevStart; k >= 0 && k < s.prevEnd; k++) s.value[k] = s.value[k]! * cb
        } else s.mark(s.count, cb)
        after = ca
        negLeft = 0
        intLeft = 0
      } else if (lex.factor[best]! > 0) {
        intFactor *= lex.factor[best]!
        intLeft = INTENSIFIER_REACH
      } else if (negLeft > 0) negLeft = negLeft > span ? negLeft - span : 0
      sentWords += span
      s.words += span - 1
      i = bestEnd
    } else if (kind === 'punct') {
      const role = punctRole(t.norm, s)
      if (role === 2) {
        closeSentence(s, p, countChar(t.norm, 0x21))
        sentWords = 0
        negLeft = 0
        irrealis = false
        intLeft = 0
        after = 1
        concessive = false
      } else if (role === 1) {
        negLeft = 0
        irrealis = false
        intLeft = 0
        if (concessive) {
          after = concessiveMain
          concessive = false
        }
      }
    } else if (kind === 'emoji' || kind === 'emoticon') {
      const key = t.key
      if (key === '\u2605' || key === '\u2606') {
        if (starFrom === -1) {
          starFrom = i
          starFilled = 0
          starEmpty = 0
        }
        if (key === '\u2605') starFilled++
        else starEmpty++
        continue
      }
      const emoji = emojiTable()
      let v = emoji.get(key)
      if (v === undefined && kind === 'emoji') v = emoji.get(stripEmoji(key))
      if (v !== undefined && v !== 0) {
        s.push(i, i, fieldId, v > 0 ? POSITIVE : NEGATIVE, Math.abs(v) * weight * after)
      }
    } else if (kind === 'number') {
      // "8/10", "4,5/5"; "4 stars" is read at the star word.
      if (t.key.indexOf('/') > 0) {
        const stars = fractionRating(t.key)
        if (stars >= 0) {
          const v = ratingTerm(stars) * weight
          if (v !== 0) s.push(i, i, fieldId, v > 0 ? POSITIVE : NEGATIVE, Math.abs(v) * after)
        }
      }
    }
  }
  if (starFrom !== -1) flushStars(s, fieldId, starFrom, starFilled, starEmpty, weight * after)
  closeSentence(s, p, 0)
}
