/**
 * One-pass tokenizer: a single sticky-free global regex over the whole clean
 * text (no per-token regexes), then cheap per-token lower-casing and folding.
 */
import { foldAccents, squeezeElongation } from './fold.js'
import type { Token, TokenKind } from './types.js'

const TLD =
  'com|net|org|info|biz|io|ly|me|co|es|it|uk|de|fr|eu|us|shop|store|online|site|xyz|top|club|app|link|gl|to|cc|ru|cn|tk|ws|win|bet|vip|pro|live|click'

// Alternatives in priority order; each is one capture group.
const PATTERN = new RegExp(
  [
    // 1 url
    `((?:https?:\\/\\/|www\\.)[^\\s<>"'()]*[^\\s<>"'().,;:!?]|\\b[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.(?:${TLD})\\b(?:\\/[^\\s<>"'()]*[^\\s<>"'().,;:!?])?)`,
    // 2 email
    `([\\w.+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+)`,
    // 3 phone (digit count checked in code)
    `((?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]?\\d{2,4}){2,5})`,
    // 4 emoticon
    `((?<![\\p{L}\\p{N}])(?:[:;=][-'^o]?(?:[)(]+|[\\]\\[DPpOo3/\\\\|*])|(?<=^|\\s)[xX8]-?[D)(]+|<\\/?3+|\\^[_.-]?\\^|[Tt]_[Tt]|[oO]_[oO]|-_-)(?![\\p{L}\\p{N}]))`,
    // 5 number
    `(\\d+(?:[.,]\\d+)*(?:\\/\\d+)?%?)`,
    // 6 word: letters with internal apostrophes
    `([\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}]*(?:'[\\p{L}\\p{M}\\p{N}]+)*)`,
    // 7 emoji (with skin tones, ZWJ sequences), flags, and the rating stars
    `(\\p{Extended_Pictographic}\\uFE0F?[\\u{1F3FB}-\\u{1F3FF}]?(?:\\u200D\\p{Extended_Pictographic}\\uFE0F?[\\u{1F3FB}-\\u{1F3FF}]?)*|[\\u{1F1E6}-\\u{1F1FF}]{2}|[\\u2605\\u2606])`,
    // 8 mention, 9 hashtag
    `(@[\\p{L}\\p{N}_]+)`,
    `(#[\\p{L}\\p{N}_]+)`,
    // 10 punctuation that ends or splits clauses; a hyphen only when spaced
    `([.!?;:,…()\\[\\]{}"«»“”„—–¡¿]+|(?<=\\s)-+(?=\\s))`,
  ].join('|'),
  'giu',
)

const KINDS: TokenKind[] = [
  'word', // unused slot 0
  'url',
  'email',
  'phone',
  'emoticon',
  'number',
  'word',
  'emoji',
  'mention',
  'hashtag',
  'punct',
]

// English clitics stay attached ("don't") or split off ("it" + "'s");
// any other apostrophe is a Romance elision ("l'" + "acqua", "c'" + "è").
const KEEP_WHOLE = 't'
const CLITICS = new Set(['s', 'm', 're', 've', 'll', 'd'])
const NUMBER = /\d+/g

function countDigits(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

/**
 * Tokenize a clean text. `lower` is `clean.toLowerCase()` when that has the same
 * length (then slices of it are the lower-cased tokens), otherwise null.
 */
export function tokenize(clean: string, lower: string | null): Token[] {
  const tokens: Token[] = []
  PATTERN.lastIndex = 0
  for (let m = PATTERN.exec(clean); m !== null; m = PATTERN.exec(clean)) {
    let group = 1
    while (m[group] === undefined) group++
    const start = m.index
    const text = m[0]
    const end = start + text.length
    const kind = KINDS[group]!
    if (kind === 'word') {
      if (text.indexOf("'") === -1) pushWord(tokens, clean, lower, start, end)
      else splitApostrophes(tokens, clean, lower, start, text)
    } else if (kind === 'phone' && countDigits(text) < 9) {
      // Dates, prices and short codes are numbers, not phone numbers.
      NUMBER.lastIndex = 0
      for (let n = NUMBER.exec(text); n !== null; n = NUMBER.exec(text)) {
        const s = start + n.index
        tokens.push(makeToken('number', s, s + n[0].length, n[0], n[0]))
      }
    } else {
      const norm = kind === 'emoji' || kind === 'emoticon' ? text : lowerSlice(clean, lower, start, end)
      tokens.push(makeToken(kind, start, end, norm, norm))
    }
  }
  return tokens
}

function lowerSlice(clean: string, lower: string | null, start: number, end: number): string {
  return lower !== null ? lower.slice(start, end) : clean.slice(start, end).toLowerCase()
}

function makeToken(kind: TokenKind, start: number, end: number, norm: string, key: string): Token {
  return { kind, start, end, norm, key, caps: false, elongated: false }
}

function pushWord(tokens: Token[], clean: string, lower: string | null, start: number, end: number): void {
  let norm = lowerSlice(clean, lower, start, end)
  const squeezed = squeezeElongation(norm)
  const elongated = squeezed !== null
  if (squeezed !== null) norm = squeezed
  let caps = false
  if (end - start >= 2) {
    const raw = clean.slice(start, end)
    // Upper-case only when it differs from its lower-case form and has no lower-case letter.
    caps = raw !== norm && raw === raw.toUpperCase() && raw.toLowerCase() !== raw
  }
  tokens.push({ kind: 'word', start, end, norm, key: foldAccents(norm), caps, elongated })
}

function splitApostrophes(
  tokens: Token[],
  clean: string,
  lower: string | null,
  start: number,
  text: string,
): void {
  let from = 0
  for (let at = text.indexOf("'"); at !== -1; at = text.indexOf("'", from)) {
    const next = text.indexOf("'", at + 1)
    const right = text.slice(at + 1, next === -1 ? text.length : next).toLowerCase()
    if (right === KEEP_WHOLE) {
      // "don't", "isn't": one token through the clitic.
      const end = next === -1 ? text.length : next
      pushWord(tokens, clean, lower, start + from, start + end)
      from = end + 1
      if (next === -1) return
      continue
    }
    if (CLITICS.has(right)) {
      pushWord(tokens, clean, lower, start + from, start + at)
      from = at // the clitic token keeps its apostrophe: "'s"
    } else {
      pushWord(tokens, clean, lower, start + from, start + at + 1) // "l'", "dell'"
      from = at + 1
    }
    if (next === -1) break
  }
  if (from < text.length) pushWord(tokens, clean, lower, start + from, start + text.length)
}
