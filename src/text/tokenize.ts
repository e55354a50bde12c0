/**
 * One-pass tokenizer: a character-class scanner over the whole clean text.
 * Plain words, numbers and punctuation are read with table lookups; the rare
 * shapes (URLs, emails, phone numbers, emoticons, emoji) are confirmed with
 * sticky regexes anchored where the scanner saw their first character, so no
 * regex runs per token.
 */
import { foldAccents, squeezeElongation } from './fold.js'
import type { Token, TokenKind } from './types.js'
import { NO_WORD_ID, WORD_HASH_PRIME, WORD_HASH_SEED, internRange, internWord, keyIdOf, wordOf } from './vocabulary.js'

const TLD =
  'com|net|org|info|biz|io|ly|me|co|es|it|uk|de|fr|eu|us|shop|store|online|site|xyz|top|club|app|link|gl|to|cc|ru|cn|tk|ws|win|bet|vip|pro|live|click'
// A bare domain has at most MAX_DOMAIN_LABELS labels of at most 63 characters:
// unbounded repeats made "a.a.a.a…" (no TLD) quadratic, one full scan per word.
const MAX_DOMAIN_LABELS = 8
const URL_RE = new RegExp(
  `(?:https?:\\/\\/|www\\.)[^\\s<>"'()]*[^\\s<>"'().,;:!?]|[a-z0-9][a-z0-9-]{0,62}(?:\\.[a-z0-9-]{1,63}){0,${MAX_DOMAIN_LABELS - 2}}\\.(?:${TLD})\\b(?:\\/[^\\s<>"'()]*[^\\s<>"'().,;:!?])?`,
  'iy',
)
const EMAIL_RE = /[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/iy
const PHONE_RE = /(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){2,5}(?!\d)/y
const EMOTICON_RE =
  /(?:[:;=][-'^o]?(?:[)(]+|[\]\[DPpOo3/\\|*])|[xX8]-?[D)(]+|<\/?3+|\^[_.-]?\^|[Tt]_[Tt]|[oO]_[oO]|-_-)(?![\p{L}\p{N}])/uy
const EMOJI_RE =
  /\p{Extended_Pictographic}\uFE0F?[\u{1F3FB}-\u{1F3FF}]?(?:\u200D\p{Extended_Pictographic}\uFE0F?[\u{1F3FB}-\u{1F3FF}]?)*|[\u{1F1E6}-\u{1F1FF}]{2}/uy
const WORD_CHAR_RE = /[\p{L}\p{M}\p{N}]/u
const LETTER_RE = /[\p{L}\p{M}]/u

// Character classes of the BMP, filled lazily beyond Latin.
const UNKNOWN = 0
const SPACE = 1
const LETTER = 2
const DIGIT = 3
const PUNCT = 4
const OTHER = 5
const MARK_OR_NUMBER = 6 // continues a word but does not start one
const CLASS = new Uint8Array(0x10000)

const PUNCT_CHARS = '.!?;:,…()[]{}"«»“”„—–¡¿'
for (let c = 0; c < 0x10000; c++) {
  if (c <= 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000) {
    CLASS[c] = SPACE
  } else if (c >= 48 && c <= 57) CLASS[c] = DIGIT
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) CLASS[c] = LETTER
  else if (c < 0x80) CLASS[c] = OTHER
}
for (const ch of PUNCT_CHARS) CLASS[ch.charCodeAt(0)] = PUNCT

function classOf(c: number): number {
  const k = CLASS[c]!
  if (k !== UNKNOWN) return k
  // Surrogates are resolved by the caller; everything else once, by regex.
  const ch = String.fromCharCode(c)
  const cls = LETTER_RE.test(ch) ? (/\p{M}/u.test(ch) ? MARK_OR_NUMBER : LETTER) : WORD_CHAR_RE.test(ch) ? MARK_OR_NUMBER : OTHER
  CLASS[c] = cls
  return cls
}

/** A word continues through letters, marks and digits. */
function isWordChar(c: number): boolean {
  const k = classOf(c)
  return k === LETTER || k === DIGIT || k === MARK_OR_NUMBER
}

function isAlnum(c: number): boolean {
  const k = classOf(c)
  return k === LETTER || k === DIGIT
}

// English clitics stay attached ("don't") or split off ("it" + "'s");
// any other apostrophe is a Romance elision ("l'" + "acqua", "c'" + "è").
const CLITICS = new Set(['s', 'm', 're', 've', 'll', 'd'])

function countDigits(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

const isDigit = (c: number) => c >= 48 && c <= 57

function lowerCode(clean: string, lower: string | null, k: number): number {
  return lower !== null ? lower.charCodeAt(k) : clean[k]!.toLowerCase().charCodeAt(0)
}

/** An upper-case letter at `j` between two lower-case letters. */
function isCaseBreak(clean: string, lower: string | null, j: number): boolean {
  const c = clean.charCodeAt(j)
  if (j + 1 >= clean.length || c === lowerCode(clean, lower, j)) return false
  const before = clean.charCodeAt(j - 1)
  const after = clean.charCodeAt(j + 1)
  return (
    before === lowerCode(clean, lower, j - 1) &&
    classOf(before) === LETTER &&
    after === lowerCode(clean, lower, j + 1) &&
    classOf(after) === LETTER
  )
}

/** The character after an emoticon's first letter: xD, x), T_T, o_O, x-D. */
const isEmoticonTail = (c: number) => c === 68 || c === 41 || c === 40 || c === 95 || c === 45

function startsUrl(lower: string, i: number): boolean {
  return lower.startsWith('http', i) || lower.startsWith('www.', i)
}

/** Whether an '@' follows within the run of email characters starting at `j`. */
function atSignAhead(text: string, j: number): boolean {
  for (let k = j; k < text.length && k < j + 64; k++) {
    const c = text.charCodeAt(k)
    if (c === 64) return true
    if (!(isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 43 || c === 45)) return false
  }
  return false
}

function sticky(re: RegExp, text: string, at: number): number {
  re.lastIndex = at
  const m = re.exec(text)
  // A /u regex started inside a surrogate pair backs up to the pair's start.
  return m === null || m.index !== at ? 0 : m[0].length
}

/**
 * Token objects kept from one text to the next: the per-review stage
 * tokenizes every review into the same objects, overwritten in place, instead
 * of making ~45 new ones per review (about 40 % of the stage's garbage). Only
 * for a caller that is done with the previous text's tokens when it starts the next.
 */
export class TokenPool {
  private readonly objects: Token[] = []
  private used = 0

  /** Make every pooled token available again (the previous text's tokens are overwritten from now on). */
  reset(): void {
    this.used = 0
  }

  /** A token with these fields: a pooled object while the pool has one, else a new one (pooled up to MAX_POOLED_TOKENS). */
  take(kind: TokenKind, start: number, end: number, norm: string, key: string, caps: boolean, elongated: boolean, id: number, normId: number): Token {
    if (this.used < this.objects.length) {
      const t = this.objects[this.used++]!
      t.kind = kind
      t.start = start
      t.end = end
      t.norm = norm
      t.key = key
      t.caps = caps
      t.elongated = elongated
      t.id = id
      t.normId = normId
      return t
    }
    const t: Token = { kind, start, end, norm, key, caps, elongated, id, normId }
    if (this.objects.length < MAX_POOLED_TOKENS) {
      this.objects.push(t)
      this.used++
    }
    return t
  }
}

/** Tokens a pool keeps at most: a long review (~20k characters) must not pin its tokens for good. */
const MAX_POOLED_TOKENS = 4096

// The pool of the tokenize call under way (tokenize is synchronous and never nested).
let pool: TokenPool | null = null

function emit(tokens: Token[], kind: TokenKind, start: number, end: number, norm: string, key: string, caps: boolean, elongated: boolean, id: number, normId: number): void {
  tokens.push(
    pool === null ? { kind, start, end, norm, key, caps, elongated, id, normId } : pool.take(kind, start, end, norm, key, caps, elongated, id, normId),
  )
}

/**
 * Tokenize a clean text. `lower` is `clean.toLowerCase()` when that has the same
 * length (then slices of it are the lower-cased tokens), otherwise null.
 * With `reuse`, the tokens are the pool's objects (see `TokenPool`).
 */
export function tokenize(clean: string, lower: string | null, reuse: TokenPool | null = null): Token[] {
  pool = reuse
  try {
    return scan(clean, lower)
  } finally {
    pool = null
  }
}

function scan(clean: string, lower: string | null): Token[] {
  const tokens: Token[] = []
  const n = clean.length
  let i = 0
  while (i < n) {
    const c = clean.charCodeAt(i)
    const cls = c >= 0xd800 && c <= 0xdfff ? OTHER : classOf(c)
    const prev = i > 0 ? clean.charCodeAt(i - 1) : 32
    const afterGap = i === 0 || classOf(prev) === SPACE

    if (cls === SPACE) {
      i++
      continue
    }

    if (cls === LETTER) {
      // Emoticons that start with a letter: xD, XD, T_T, o_O (only after a gap).
      // `i + 1 < n`: a read past the end (NaN) would make V8 drop this function's optimized code.
      if (afterGap && (c === 120 || c === 88 || c === 84 || c === 116 || c === 111 || c === 79) && i + 1 < n && isEmoticonTail(clean.charCodeAt(i + 1))) {
        const len = sticky(EMOTICON_RE, clean, i)
        if (len > 0) {
          push(tokens, 'emoticon', i, i + len, clean.slice(i, i + len))
          i += len
          continue
        }
      }
      if ((c === 104 || c === 72 || c === 119 || c === 87) && !isAlnum(prev) && startsUrl(lower ?? clean.toLowerCase(), i)) {
        const len = sticky(URL_RE, clean, i)
        if (len > 0) {
          pushLower(tokens, 'url', clean, lower, i, i + len)
          i += len
          continue
        }
      }
      let j = i + 1
      let apostrophe = false
      for (;;) {
        while (j < n && isWordChar(clean.charCodeAt(j))) {
          // Sentences glued by a lost line break ("caffèConsiglio"): split at
          // lower→Upper→lower after 3+ characters of a word that starts in lower
          // case; brand names ("WhatsApp", "PayPal", "iPhone") stay whole.
          if (j - i >= 3 && isCaseBreak(clean, lower, j) && clean.charCodeAt(i) === lowerCode(clean, lower, i)) break
          j++
        }
        if (j + 1 < n && clean.charCodeAt(j) === 39 && classOf(clean.charCodeAt(j + 1)) === LETTER) {
          apostrophe = true
          j += 2
        } else break
      }
      const next = j < n ? clean.charCodeAt(j) : 0
      if ((next === 64 || next === 46 || next === 95 || next === 43 || next === 45) && !isAlnum(prev)) {
        // "name@host", "name.surname@host", "shop.com/x"
        if (atSignAhead(clean, j)) {
          const len = sticky(EMAIL_RE, clean, i)
          if (len > 0) {
            pushLower(tokens, 'email', clean, lower, i, i + len)
            i += len
            continue
          }
        }
        if (next === 46 && j + 1 < n && isAlnum(clean.charCodeAt(j + 1))) {
          const len = sticky(URL_RE, clean, i)
          if (len > j - i) {
            pushLower(tokens, 'url', clean, lower, i, i + len)
            i += len
            continue
          }
        }
      }
      if (apostrophe) splitApostrophes(tokens, clean, lower, i, j)
      else pushWord(tokens, clean, lower, i, j)
      i = j
      continue
    }

    if (cls === DIGIT) {
      if (c === 56 && afterGap) {
        const len = sticky(EMOTICON_RE, clean, i)
        if (len > 0) {
          push(tokens, 'emoticon', i, i + len, clean.slice(i, i + len))
          i += len
          continue
        }
      }
      if (!isAlnum(prev)) {
        const len = sticky(PHONE_RE, clean, i)
        if (len > 0) {
          i = phoneOrNumbers(tokens, clean, i, len)
          continue
        }
        // Domains that start with a digit ("24shop.com"): only when letters follow.
        let j = i + 1
        while (j < n && isDigit(clean.charCodeAt(j))) j++
        const after = j < n ? classOf(clean.charCodeAt(j)) : SPACE
        // `j + 1 < n` first: no read past the end (see above).
        if (after === LETTER || (j + 1 < n && (clean.charCodeAt(j) === 45 || clean.charCodeAt(j) === 46) && classOf(clean.charCodeAt(j + 1)) === LETTER)) {
          const url = sticky(URL_RE, clean, i)
          if (url > 0) {
            pushLower(tokens, 'url', clean, lower, i, i + url)
            i += url
            continue
          }
        }
      }
      i = scanNumber(tokens, clean, i)
      continue
    }

    if (c === 43 /* + */ || c === 40 /* ( */) {
      const len = sticky(PHONE_RE, clean, i)
      if (len > 0 && countDigits(clean.slice(i, i + len)) >= 9) {
        push(tokens, 'phone', i, i + len, clean.slice(i, i + len))
        i += len
        continue
      }
    }

    // Emoticons: ":)", ";-)", "=D", "<3", "^^", "-_-" — not glued to a word.
    if ((c === 58 || c === 59 || c === 61 || c === 60 || c === 94 || c === 45) && !isAlnum(prev)) {
      const len = sticky(EMOTICON_RE, clean, i)
      if (len > 0) {
        push(tokens, 'emoticon', i, i + len, clean.slice(i, i + len))
        i += len
        continue
      }
    }

    if (c === 64 /* @ */ || c === 35 /* # */) {
      let j = i + 1
      while (j < n && (isWordChar(clean.charCodeAt(j)) || clean.charCodeAt(j) === 95)) j++
      if (j > i + 1) {
        pushLower(tokens, c === 64 ? 'mention' : 'hashtag', clean, lower, i, j)
        i = j
        continue
      }
    }

    if (cls === PUNCT) {
      let j = i + 1
      while (j < n && CLASS[clean.charCodeAt(j)] === PUNCT) j++
      push(tokens, 'punct', i, j, clean.slice(i, j))
      i = j
      continue
    }

    if (c === 45 /* - */) {
      // A dash between spaces splits clauses; a hyphen inside a word does not.
      let j = i + 1
      while (j < n && clean.charCodeAt(j) === 45) j++
      if (afterGap && (j === n || classOf(clean.charCodeAt(j)) === SPACE)) push(tokens, 'punct', i, j, clean.slice(i, j))
      i = j
      continue
    }

    if (c === 0x2605 || c === 0x2606) {
      push(tokens, 'emoji', i, i + 1, clean[i]!)
      i++
      continue
    }

    if (c >= 0xa9) {
      const len = sticky(EMOJI_RE, clean, i)
      if (len > 0) {
        push(tokens, 'emoji', i, i + len, clean.slice(i, i + len))
        i += len
        continue
      }
      if (c >= 0xd800 && c <= 0xdbff) {
        // A letter outside the BMP (rare): read it as a one-character word.
        const cp = clean.codePointAt(i)!
        const ch = String.fromCodePoint(cp)
        if (LETTER_RE.test(ch)) {
          pushWord(tokens, clean, lower, i, i + 2)
          i += 2
          continue
        }
        // A lone high surrogate is one character: the next may start an emoji.
        i += cp > 0xffff ? 2 : 1
        continue
      }
    }
    i++
  }
  return tokens
}

function push(tokens: Token[], kind: TokenKind, start: number, end: number, norm: string): void {
  emit(tokens, kind, start, end, norm, norm, false, false, NO_WORD_ID, NO_WORD_ID)
}

function pushLower(tokens: Token[], kind: TokenKind, clean: string, lower: string | null, start: number, end: number): void {
  push(tokens, kind, start, end, lowerSlice(clean, lower, start, end))
}

function lowerSlice(clean: string, lower: string | null, start: number, end: number): string {
  return lower !== null ? lower.slice(start, end) : clean.slice(start, end).toLowerCase()
}

/** A phone number when it has 9+ digits; otherwise its digit groups are numbers (dates, codes). */
function phoneOrNumbers(tokens: Token[], clean: string, start: number, len: number): number {
  const text = clean.slice(start, start + len)
  if (countDigits(text) >= 9) {
    push(tokens, 'phone', start, start + len, text)
    return start + len
  }
  let i = start
  const end = start + len
  while (i < end) {
    const c = clean.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      let j = i + 1
      while (j < end && clean.charCodeAt(j) >= 48 && clean.charCodeAt(j) <= 57) j++
      push(tokens, 'number', i, j, clean.slice(i, j))
      i = j
    } else i++
  }
  return end
}

/** \d+([.,]\d+)*(\/\d+)?%? */
function scanNumber(tokens: Token[], clean: string, start: number): number {
  const n = clean.length
  let j = start + 1
  while (j < n && isDigit(clean.charCodeAt(j))) j++
  while (j + 1 < n && (clean.charCodeAt(j) === 46 || clean.charCodeAt(j) === 44) && isDigit(clean.charCodeAt(j + 1))) {
    j += 2
    while (j < n && isDigit(clean.charCodeAt(j))) j++
  }
  if (j + 1 < n && clean.charCodeAt(j) === 47 && isDigit(clean.charCodeAt(j + 1))) {
    j += 2
    while (j < n && isDigit(clean.charCodeAt(j))) j++
  }
  if (j < n && clean.charCodeAt(j) === 37) j++
  push(tokens, 'number', start, j, clean.slice(start, j))
  return j
}

function pushWord(tokens: Token[], clean: string, lower: string | null, start: number, end: number): void {
  if (lower === null) {
    pushWordSlow(tokens, clean, start, end)
    return
  }
  // One pass over the word's characters: case, accents, elongation, and the
  // hash the word table is probed with.
  let upper = 0
  let lowerLetter = false
  let nonAscii = false
  let run = 1
  let elongated = false
  let prev = -1
  let hash = WORD_HASH_SEED
  for (let k = start; k < end; k++) {
    const c = clean.charCodeAt(k)
    const l = lower.charCodeAt(k)
    if (c !== l) upper++
    else if ((l >= 97 && l <= 122) || l >= 0xdf) lowerLetter = true
    if (l >= 0x80) nonAscii = true
    if (l === prev) {
      if (++run === 3) elongated = true
    } else run = 1
    prev = l
    hash = Math.imul(hash ^ l, WORD_HASH_PRIME)
  }
  const caps = upper >= 2 && !lowerLetter
  // A word seen before: its strings come from the table, nothing is sliced or folded.
  const normId = elongated ? NO_WORD_ID : internRange(lower, start, end, hash)
  if (normId !== NO_WORD_ID) {
    const id = keyIdOf(normId)
    emit(tokens, 'word', start, end, wordOf(normId), wordOf(id), caps, elongated, id, normId)
    return
  }
  let norm = lower.slice(start, end)
  if (elongated) norm = squeezeElongation(norm) ?? norm
  const key = nonAscii ? foldAccents(norm) : norm
  pushWordWithId(tokens, start, end, norm, key, caps, elongated)
}

/** Push a word whose strings are already made, with its ids when the table holds it (elongated and rare words). */
function pushWordWithId(tokens: Token[], start: number, end: number, norm: string, key: string, caps: boolean, elongated: boolean): void {
  const normId = internWord(norm)
  const id = normId === NO_WORD_ID ? NO_WORD_ID : keyIdOf(normId)
  emit(tokens, 'word', start, end, norm, key, caps, elongated, id, normId)
}

/** Words whose lower-casing changes the text's length (rare: "İ"). */
function pushWordSlow(tokens: Token[], clean: string, start: number, end: number): void {
  const raw = clean.slice(start, end)
  let norm = raw.toLowerCase()
  const squeezed = squeezeElongation(norm)
  if (squeezed !== null) norm = squeezed
  // Same rule as pushWord: 2+ upper-case letters and no lower-case one ("I'" is not caps).
  let upper = 0
  let lowerLetter = false
  for (let k = start; k < end; k++) {
    const ch = clean[k]!
    const c = ch.charCodeAt(0)
    if (ch.toLowerCase() !== ch) upper++
    else if ((c >= 97 && c <= 122) || c >= 0xdf) lowerLetter = true
  }
  const caps = upper >= 2 && !lowerLetter
  pushWordWithId(tokens, start, end, norm, foldAccents(norm), caps, squeezed !== null)
}

function splitApostrophes(tokens: Token[], clean: string, lower: string | null, start: number, end: number): void {
  let from = start
  let at = clean.indexOf("'", start)
  // `at` always moves forward: a clitic keeps its apostrophe ("it" + "'s"), so
  // searching again from `from` would find the same one forever ("it's'a").
  while (at !== -1 && at < end) {
    let next = clean.indexOf("'", at + 1)
    if (next >= end) next = -1
    const stop = next === -1 ? end : next
    const right = lowerSlice(clean, lower, at + 1, stop)
    if (right === 't') {
      // "don't", "isn't": one token through the clitic.
      pushWord(tokens, clean, lower, from, stop)
      if (next === -1) return
      from = stop + 1
      next = clean.indexOf("'", from)
      if (next >= end) next = -1
    } else if (CLITICS.has(right)) {
      pushWord(tokens, clean, lower, from, at)
      from = at // the clitic keeps its apostrophe: "'s"
    } else {
      pushWord(tokens, clean, lower, from, at + 1) // "l'", "dell'"
      from = at + 1
    }
    at = next
  }
  if (from < end) pushWord(tokens, clean, lower, from, end)
}
