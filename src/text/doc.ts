/** Build the shared per-review text once; every analyzer reads these tokens. */
import { normalizeText, originalSpan } from './normalize.js'
import { tokenize } from './tokenize.js'
import type { Doc, FieldText, Token } from './types.js'

/** Normalize and tokenize one text field. */
export function makeField(original: string): FieldText {
  const { clean, origin, repairs } = normalizeText(original)
  const lowered = clean.toLowerCase()
  const lower = lowered.length === clean.length ? lowered : null
  return { original, clean, lower, tokens: tokenize(clean, lower), origin, repairs }
}

/** Normalize and tokenize a review's body and (optional) title. */
export function makeDoc(text: string, title?: string | null): Doc {
  return {
    body: makeField(text),
    title: title ? makeField(title) : null,
  }
}

/** The exact original substring (with offsets) covered by tokens `from..to` inclusive. */
export function spanOf(field: FieldText, from: Token, to: Token = from): { start: number; end: number; text: string } {
  return originalSpan(field.original, field.origin, from.start, to.end)
}
