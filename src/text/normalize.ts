/**
 * The normalizer: turns one input text into the clean text the tokenizer reads,
 * keeping a map back to the original so evidence is always an exact substring
 * of what the user gave.
 */
import { type Edit, type Mapped, type OffsetMap, applyEdits, editsFor } from './edits.js'
import { entityEdits, tagEdits } from './html.js'
import { mojibakeEdits } from './mojibake.js'
import type { Repair } from './types.js'

// Zero-width space/non-joiner, word joiner, BOM, soft hyphen. The zero-width
// joiner is kept inside emoji sequences (👨‍👩‍👧) and dropped between letters.
const ZERO_WIDTH = /[\u200B\u200C\u2060\uFEFF\u00AD]|(?<=\p{L})\u200D|\u200D(?=\p{L})/gu
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g
const COMBINING = /[\u0300-\u036F]/
const CLUSTER = /\P{M}\p{M}+/gu
// Typographic apostrophes become ASCII "'" (same length, so no offset change).
const APOSTROPHES = /[\u2019\u2018\u02BC\u2032]|(?<=\p{L})[\u00B4`](?=\p{L}|\s|$)/gu
// Any character APOSTROPHES can replace: a plain class is a fast scan, the
// lookbehind above is not, and most texts have none of these.
const APOSTROPHE_HINT = /[\u2019\u2018\u02BC\u2032\u00B4`]/
// The characters APOSTROPHES replaces without a condition: when the text has no
// "´" or "`", this plain class gives the same result without a lookbehind tried
// at every character.
const PLAIN_APOSTROPHES = /[\u2019\u2018\u02BC\u2032]/g
const NON_ASCII = /[^\x00-\x7F]/
const ZW_HINT = /[\u200B-\u200D\u2060\uFEFF\u00AD]/
const CONTROL_HINT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/

// Google's reviews (the Business Profile API, Maps exports and scrapes) hold
// Google's machine translation beside the reviewer's words, in the account's
// language: "(Translated by Google) <translation>\n\n(Original)\n<original>",
// or "<original>\n\n(Translated by Google)\n<translation>"; scrapes and
// flattened HTML put spaces where the line breaks were. A mark stands apart
// from the words before it, and is written as Google writes it.
const MACHINE_TRANSLATION = /(?<=^|\s)\((?:Translated by|Traducido por|Tradotto da|Traduzido pelo|Traduit par|Übersetzt von) Google\)/
const ORIGINAL_MARK = /(?<=\s)\((?:Original|Originale)\)/

export interface Normalized {
  clean: string
  origin: OffsetMap | null
  repairs: Repair[]
}

/** Normalize one text: mojibake, HTML, zero-width and control characters, NFC, Google's machine translation, apostrophes. */
export function normalizeText(original: string): Normalized {
  let cur: Mapped = { text: original, origin: null }
  const repairs: Repair[] = []

  if (cur.text.indexOf('<') !== -1 || cur.text.indexOf('&') !== -1) {
    const tags = tagEdits(cur.text)
    if (tags.length > 0) cur = applyEdits(cur, tags)
    const entities = entityEdits(cur.text)
    if (entities.length > 0) cur = applyEdits(cur, entities)
    if (tags.length > 0 || entities.length > 0) repairs.push('html')
  }

  // After HTML: entities bring in non-ASCII text, mojibake ("&#195;&#169;"),
  // zero-width characters ("&#8203;") and combining accents ("e&#769;") too.
  const nonAscii = NON_ASCII.test(cur.text)
  if (nonAscii) {
    // Twice: text that went through a wrong decoder two times ("ÃƒÂ©").
    for (let round = 0; round < 2; round++) {
      const edits = mojibakeEdits(cur.text)
      if (edits.length === 0) break
      cur = applyEdits(cur, edits)
      if (round === 0) repairs.push('mojibake')
    }
  }

  if (nonAscii && ZW_HINT.test(cur.text)) {
    const edits = editsFor(cur.text, ZERO_WIDTH, () => '')
    if (edits.length > 0) {
      cur = applyEdits(cur, edits)
      repairs.push('zero_width')
    }
  }

  if (CONTROL_HINT.test(cur.text)) {
    const edits = editsFor(cur.text, CONTROL, () => ' ')
    if (edits.length > 0) {
      cur = applyEdits(cur, edits)
      repairs.push('control_chars')
    }
  }

  if (nonAscii && COMBINING.test(cur.text)) {
    const edits = editsFor(cur.text, CLUSTER, (m) => m[0].normalize('NFC'))
    if (edits.length > 0) {
      cur = applyEdits(cur, edits)
      repairs.push('unicode_nfc')
    }
  }

  if (cur.text.indexOf('Google)') !== -1) {
    const edits = translationEdits(cur.text)
    if (edits.length > 0) {
      cur = applyEdits(cur, edits)
      repairs.push('machine_translation')
    }
  }

  let clean = cur.text
  if ((nonAscii || clean.indexOf('`') !== -1) && APOSTROPHE_HINT.test(clean)) {
    clean = clean.indexOf('\u00B4') === -1 && clean.indexOf('`') === -1 ? clean.replace(PLAIN_APOSTROPHES, "'") : clean.replace(APOSTROPHES, "'")
  }
  return { clean, origin: cur.origin, repairs }
}

/**
 * The edit that keeps only the reviewer's words of a text that holds Google's
 * machine translation too: the translation, its mark and the "(Original)"
 * mark go, with the white space around them. None when either part is empty
 * (a text of a translation alone is read as it is).
 */
function translationEdits(text: string): Edit[] {
  const mark = MACHINE_TRANSLATION.exec(text)
  if (mark === null) return []
  const after = mark.index + mark[0].length
  const original = ORIGINAL_MARK.exec(text.slice(after))
  let start: number
  let end: number
  if (original !== null) {
    // The translation first: the reviewer's words follow "(Original)".
    start = mark.index
    end = after + original.index + original[0].length
    while (end < text.length && isSpace(text.charCodeAt(end))) end++
    if (end === text.length || text.slice(0, start).trim() !== '') return []
  } else {
    // The reviewer's words first, the translation after its mark.
    start = mark.index
    end = text.length
    while (start > 0 && isSpace(text.charCodeAt(start - 1))) start--
    if (start === 0 || text.slice(after).trim() === '') return []
  }
  return [{ start, end, text: '' }]
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0xa0
}

/** The exact original substring behind the clean span `[start, end)`. */
export function originalSpan(
  original: string,
  origin: OffsetMap | null,
  start: number,
  end: number,
): { start: number; end: number; text: string } {
  if (origin === null) return { start, end, text: original.slice(start, end) }
  if (end <= start) {
    const at = start < origin.start.length ? origin.start[start]! : original.length
    return { start: at, end: at, text: '' }
  }
  const s = origin.start[start]!
  const e = origin.end[end - 1]!
  return { start: s, end: e, text: original.slice(s, e) }
}
