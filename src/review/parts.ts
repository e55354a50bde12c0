/**
 * A review asked for in halves: Booking.com's "Positive review" and "Negative
 * review", Glassdoor's and G2's pros and cons, Reevoo's good and bad points.
 * The halves (`pros`, `cons`) are read as one text, after the row's own text
 * when it has one, so that every analyzer sees the whole review; the offsets
 * of its evidence are then given into the half they fall in (`partSpans`).
 */
import { isNoValue } from './coerce.js'
import { type Issue, describeValue } from './errors.js'

/** Where one half sits in the text read from the parts. */
export interface TextPart {
  field: 'text' | 'pros' | 'cons'
  start: number
  end: number
}

/** The text read from a row's parts, and where each part sits in it. */
export interface JoinedText {
  text: string
  parts: TextPart[]
}

/**
 * What an export writes in a half left blank: the 515k Booking.com reviews'
 * "No Negative" and "No Positive" (a table's empty values, "N/A", are
 * `isNoValue`'s); and a flag under a half's name (a `liked` column of yes and no). The reviewer wrote
 * nothing there, so nothing is read. A reviewer's own "Nothing" or "None" is
 * read: it says something in either half.
 */
const PLACEHOLDERS = new Set(['no negative', 'no positive', 'true', 'false', 'yes', 'no', 'y', 'n', 'sí', 'si', 'sì'])

/** What other fields read as no value ("#N/A", "n/d", "s/d": `isNoValue`) is none in a half too, but for the words a reviewer may write there. */
const REVIEWERS_WORDS = new Set(['none', 'nil'])

/** A number written as text (a CSV cell of a count or a 0/1 flag): no more a half than the number itself. */
const NUMBER = /^[-+]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/u

/** A letter or a digit: a half without one holds no words. */
const WORDISH = /[\p{L}\p{N}]/u

/** A part that ends a sentence of its own: the next one needs no full stop put before it. */
const ENDS_SENTENCE = /[.!?…;]["'»”)\]]*\s*$/u

/**
 * A half's text: a string with words that is no placeholder; undefined for
 * none (an empty or placeholder string, a number or a flag, or either written
 * as text, which are not what a reviewer wrote); an issue for an object or a list.
 */
function partText(field: 'pros' | 'cons', value: unknown): string | undefined | Issue {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return undefined
  if (typeof value !== 'string') return { field, code: 'invalid_type', message: `expected a string, got ${describeValue(value)}` }
  const trimmed = value.trim()
  const lower = trimmed.toLowerCase()
  if (!WORDISH.test(trimmed) || PLACEHOLDERS.has(lower) || (isNoValue(trimmed) && !REVIEWERS_WORDS.has(lower)) || NUMBER.test(trimmed)) return undefined
  return value
}

/**
 * Read a row's halves as its text: the row's own text (when it is a string
 * with words in it), then what was liked, then what was not, one after the
 * other with a paragraph break between them. A full stop goes before the break
 * when a part does not end a sentence, so that a negation or a "but" ends
 * with its part ("Nothing" of the disliked half does not turn the next one
 * around). The text is then read as any row's text is.
 *
 * @param text The row's text value, if any.
 * @param pros The row's `pros` value, if any.
 * @param cons The row's `cons` value, if any.
 * @returns The joined text; null when the row has no part to read (its text stays as it is); an issue for a part that is no text.
 */
export function joinParts(text: unknown, pros: unknown, cons: unknown): JoinedText | null | Issue {
  const pieces: [TextPart['field'], string][] = []
  if (typeof text === 'string' && WORDISH.test(text)) pieces.push(['text', text])
  for (const [field, value] of [['pros', pros], ['cons', cons]] as const) {
    const part = partText(field, value)
    if (typeof part === 'object') return part
    if (part !== undefined) pieces.push([field, part])
  }
  if (pieces.length === 0 || (pieces.length === 1 && pieces[0]![0] === 'text')) return null
  let joined = ''
  const parts: TextPart[] = []
  for (const [field, piece] of pieces) {
    if (joined !== '') joined += ENDS_SENTENCE.test(joined) ? '\n\n' : '.\n\n'
    parts.push({ field, start: joined.length, end: joined.length + piece.length })
    joined += piece
  }
  return { text: joined, parts }
}

/**
 * Give a span of the joined text into the part it falls in (offsets from the
 * part's start); a span of the title, or of a text not joined, stays as it is.
 *
 * @param span A span whose `field` is `text` or `title`, changed in place.
 * @param parts Where each part sits in the text (`JoinedText.parts`).
 */
export function partSpan(span: { field: string; start: number; end: number }, parts: readonly TextPart[]): void {
  if (span.field !== 'text') return
  for (let p = parts.length - 1; p >= 0; p--) {
    const part = parts[p]!
    if (span.start < part.start) continue
    span.field = part.field
    span.end = Math.min(span.end, part.end) - part.start
    span.start = Math.min(span.start, part.end) - part.start
    return
  }
}
