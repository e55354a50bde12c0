/**
 * The cue syntax shared by the shipped cue lists (data/journey/*.tsv) and user
 * taxonomies. A cue is one or more words separated by spaces; each word is
 * - `word`: that word (case and accents ignored),
 * - `stem*`: any word starting with `stem`,
 * - `word:v`, `word:n`, `word:a`: the verb, noun or adjective with its regular
 *   forms (`llegar:v` → llegó, llegaron, llegado…; `pacco:n` → pacchi),
 * - `a|b|c`: any of these alternatives (each may carry its own marker),
 * - `*` (not first): any one word; `#`: any number.
 * A cue compiles to a list of elements; an element is `|`-joined folded keys
 * (a stem ends in `*`), or `*` / `#`. The shipped Spanish and Italian cues keep
 * marked words as lemmas (`@llegar:v`), expanded once at load by `expandElement`.
 */
import { foldAccents, squeezeElongation, tokenize } from '../text/index.js'
import { type WordClass, inflect } from './inflect.js'

/** Languages that have cue lists. */
export type CueLang = 'es' | 'it' | 'en'

/** Produces the forms of a word of a class; the build passes one backed by compromise for English. */
export type Inflector = (lang: CueLang, word: string, cls: WordClass) => string[]

/** Element matching any one word. */
export const ANY_WORD = '*'
/** Element matching any number. */
export const ANY_NUMBER = '#'

const MARKED = /^(.*?)(\*|:[vna])?$/
/** A word that ends in what looks like a marker but is none (`:x`, `:N`, `:verb`): without this check it would compile to two words. */
const UNKNOWN_MARKER = /:(\p{L}+)$/u

/** Refuse a word whose marker is unknown, or with a `*` that does not end it: either would compile to a cue that silently never matches. */
function checkWord(cue: string, word: string, bare: string): void {
  const unknown = UNKNOWN_MARKER.exec(bare)
  if (unknown) throw new CueError(cue, `"${word}" has an unknown marker ":${unknown[1]}" (markers: word:n, word:v, word:a)`)
  if (bare.includes('*')) throw new CueError(cue, `"${word}" has a "*" inside it ("*" ends a stem, stem*, or stands alone for any one word)`)
}

/** A cue that cannot be compiled, with the reason. */
export class CueError extends Error {
  constructor(cue: string, reason: string) {
    super(`cue ${JSON.stringify(cue)}: ${reason}`)
    this.name = 'CueError'
  }
}

/** Keys (lower-cased, elongation-squeezed, accent-folded) of the word tokens of a text, as the tokenizer makes them. */
function keysOf(text: string): string[] {
  const lower = text.toLowerCase()
  const out: string[] = []
  for (const t of tokenize(lower, lower)) if (t.kind === 'word' || t.kind === 'number') out.push(t.key)
  return out
}

/** The key of one lower-case word of letters, as the tokenizer would make it. */
function wordKey(form: string): string {
  return foldAccents(squeezeElongation(form) ?? form)
}

/**
 * The keys of a lemma's regular forms (what `@word:cls` in an element stands for).
 *
 * @param lang Cue language.
 * @param word The lower-cased lemma.
 * @param cls Its word class.
 * @returns Folded keys of its forms.
 */
export function expandLemma(lang: CueLang, word: string, cls: WordClass): string[] {
  return inflect(lang, word, cls).map(wordKey)
}

/**
 * An element with its lemmas (`@llegar:v`) replaced by their forms' keys.
 *
 * @param lang Cue language.
 * @param element A compiled element.
 * @returns The element as `|`-joined keys and stems.
 */
export function expandElement(lang: CueLang, element: string): string {
  if (!element.includes('@')) return element
  const keys = new Set<string>()
  for (const part of element.split('|')) {
    if (!part.startsWith('@')) keys.add(part)
    else {
      const at = part.lastIndexOf(':')
      for (const k of expandLemma(lang, part.slice(1, at), part.slice(at + 1) as WordClass)) keys.add(k)
    }
  }
  return [...keys].sort().join('|')
}

/**
 * Compile one cue into its elements.
 *
 * @param lang Cue language (chooses the inflection rules).
 * @param cue The cue text in the syntax above.
 * @param inflector How to inflect marked words (default: the regular rules of `inflect`).
 * @param lemmas Keep words inflected by the regular rules as `@word:cls` (see `expandElement`) instead of listing their forms.
 * @returns The elements, each a `|`-joined set of folded keys and stems, or `*` / `#`.
 */
export function compileCue(lang: CueLang, cue: string, inflector: Inflector = inflect, lemmas = false): string[] {
  const elements: string[] = []
  const parts = cue.trim().split(/\s+/)
  if (parts.length === 0 || parts[0] === '') throw new CueError(cue, 'is empty')
  for (const part of parts) {
    if (part === ANY_WORD || part === ANY_NUMBER) {
      if (part === ANY_WORD && elements.length === 0) throw new CueError(cue, 'cannot start with "*"')
      elements.push(part)
      continue
    }
    const alternatives = part.split('|')
    if (alternatives.length === 1) {
      // One word, or a word the tokenizer splits ("check-in", "l'hotel"): the marker applies to its last token.
      const m = MARKED.exec(part)!
      checkWord(cue, part, m[1]!)
      const keys = keysOf(m[1]!)
      if (keys.length === 0) throw new CueError(cue, `"${part}" has no word in it`)
      for (let i = 0; i < keys.length - 1; i++) elements.push(keys[i]!)
      const last = m[1]!.toLowerCase().split(/[\s'’-]+/).pop()!
      elements.push(formsOf(lang, cue, keys[keys.length - 1]!, last, m[2], inflector, lemmas).join('|'))
      continue
    }
    const keys = new Set<string>()
    for (const alt of alternatives) {
      const m = MARKED.exec(alt)!
      checkWord(cue, alt, m[1]!)
      const altKeys = keysOf(m[1]!)
      if (altKeys.length !== 1) throw new CueError(cue, `alternative "${alt}" must be one word`)
      for (const k of formsOf(lang, cue, altKeys[0]!, m[1]!.toLowerCase(), m[2], inflector, lemmas)) keys.add(k)
    }
    elements.push([...keys].sort().join('|'))
  }
  return elements
}

function formsOf(
  lang: CueLang,
  cue: string,
  key: string,
  word: string,
  marker: string | undefined,
  inflector: Inflector,
  lemmas: boolean,
): string[] {
  if (marker === undefined) return [key]
  if (marker === '*') {
    if (key.length < 3) throw new CueError(cue, `stem "${key}*" is too short (3 letters at least)`)
    return [`${key}*`]
  }
  const cls = marker.slice(1) as WordClass
  const forms = new Set<string>([key])
  for (const form of inflector(lang, word, cls)) {
    const k = keysOf(form)
    if (k.length === 1) forms.add(k[0]!)
  }
  if (lemmas) {
    // Only when the lemma expands at load to exactly these keys.
    const expanded = new Set([key, ...expandLemma(lang, word, cls)])
    if (expanded.size === forms.size && [...forms].every((f) => expanded.has(f))) return [`@${word}:${cls}`]
  }
  return [...forms].sort()
}
