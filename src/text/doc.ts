/** Build the shared per-review text once; every analyzer reads these tokens. */
import { normalizeText, originalSpan } from './normalize.js'
import { type TokenPool, tokenize } from './tokenize.js'
import type { Doc, FieldText, Token } from './types.js'

/**
 * Normalize and tokenize one text field.
 *
 * @param original The field as given.
 * @param reuse Token objects to overwrite (see `TokenPool`); fresh ones by default.
 * @returns The field's clean text, tokens and offset map.
 */
export function makeField(original: string, reuse: TokenPool | null = null): FieldText {
  const { clean, origin, repairs } = normalizeText(original)
  const lowered = clean.toLowerCase()
  const lower = lowered.length === clean.length ? lowered : null
  return { original, clean, lower, tokens: tokenize(clean, lower, reuse), origin, repairs }
}

/**
 * Normalize and tokenize a review's body and (optional) title.
 *
 * @param text The body.
 * @param title The title, if any.
 * @param reuse A pool whose token objects this doc takes over: the previous
 *   doc made with the same pool must no longer be read. Fresh tokens by default.
 * @returns The doc.
 */
export function makeDoc(text: string, title?: string | null, reuse: TokenPool | null = null): Doc {
  reuse?.reset()
  return {
    body: makeField(text, reuse),
    title: title ? makeField(title, reuse) : null,
  }
}

/** The exact original substring (with offsets) covered by tokens `from..to` inclusive. */
export function spanOf(field: FieldText, from: Token, to: Token = from): { start: number; end: number; text: string } {
  return originalSpan(field.original, field.origin, from.start, to.end)
}
