/**
 * The cue matcher: phrase patterns (data/authenticity/*.txt, compiled by
 * scripts/build-authenticity.ts) over a field's word tokens. Patterns are
 * indexed by their first word, so each token costs one Map lookup.
 */
import { type FieldText, NO_WORD_ID, type Token, byteTableFor } from '../text/index.js'

/** One element of a compiled cue: words (w), prefixes (p), gap before it (g), next-word and previous-word exclusions (n, b). */
export interface CueElementData {
  w: string[]
  p: string[]
  g: number
  n: string[]
  b: string[]
}

/** A compiled cue: strength or weight (s), section (c), elements (e). */
export interface CueData {
  s: number
  c: string
  e: CueElementData[]
}

interface Element {
  words: Set<string>
  prefixes: string[]
  gap: number
  notNext: Set<string> | null
  notBefore: Set<string> | null
}

/** A cue ready to match. */
export interface Cue {
  id: number
  strength: number
  section: string
  elements: Element[]
}

/** A compiled cue list, indexed by first word and by the first letter of first-word prefixes. */
export interface CueIndex {
  cues: Cue[]
  byWord: Map<string, Cue[]>
  byInitial: Map<number, Cue[]>
  /**
   * Word id → whether the word starts a cue (see `cuesStartingWith`), filled
   * on first sight: STARTS_UNKNOWN, STARTS_NONE or STARTS_SOME. Most words
   * start none and then cost one byte read (a small table stays in the CPU
   * cache where an array of references did not).
   */
  startState: Uint8Array<ArrayBuffer>
  /** Word id → the cues it starts, for the ids whose state is STARTS_SOME. */
  startsById: Map<number, Cue[]>
}

const STARTS_UNKNOWN = 0
const STARTS_NONE = 1
const STARTS_SOME = 2

/** Compile cue data into an index (once per process). */
export function compileCues(data: CueData[]): CueIndex {
  const cues: Cue[] = data.map((d, id) => ({
    id,
    strength: d.s,
    section: d.c,
    elements: d.e.map((e) => ({
      words: new Set(e.w),
      prefixes: e.p,
      gap: e.g,
      notNext: e.n.length > 0 ? new Set(e.n) : null,
      notBefore: e.b.length > 0 ? new Set(e.b) : null,
    })),
  }))
  const byWord = new Map<string, Cue[]>()
  const byInitial = new Map<number, Cue[]>()
  for (const cue of cues) {
    const first = cue.elements[0]!
    for (const w of first.words) {
      let list = byWord.get(w)
      if (list === undefined) byWord.set(w, (list = []))
      list.push(cue)
    }
    for (const p of first.prefixes) {
      const c = p.charCodeAt(0)
      let list = byInitial.get(c)
      if (list === undefined) byInitial.set(c, (list = []))
      if (!list.includes(cue)) list.push(cue)
    }
  }
  return { cues, byWord, byInitial, startState: new Uint8Array(1024), startsById: new Map() }
}

/**
 * The word and number tokens of a field, in order (what patterns match).
 *
 * @param field A field's text.
 * @param out An array to fill (its old contents are dropped); a new one by default.
 * @returns `out`.
 */
export function wordTokens(field: FieldText, out: Token[] = []): Token[] {
  const tokens = field.tokens
  let n = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind === 'word' || t.kind === 'number') out[n++] = t
  }
  out.length = n
  return out
}

function elementMatches(e: Element, key: string): boolean {
  if (e.words.has(key)) return true
  for (const p of e.prefixes) if (key.startsWith(p)) return true
  return false
}

/** Index of the last token of a match of `cue` from element `k` at or after `pos`, or -1. */
function matchFrom(cue: Cue, k: number, pos: number, words: Token[]): number {
  const e = cue.elements[k]!
  const last = Math.min(words.length - 1, pos + e.gap)
  for (let t = pos; t <= last; t++) {
    const key = words[t]!.key
    if (!elementMatches(e, key)) continue
    if (e.notBefore !== null && t > 0 && e.notBefore.has(words[t - 1]!.key)) continue
    if (e.notNext !== null && t + 1 < words.length && e.notNext.has(words[t + 1]!.key)) continue
    if (k === cue.elements.length - 1) return t
    const end = matchFrom(cue, k + 1, t + 1, words)
    if (end >= 0) return end
  }
  return -1
}

/** A cue matched over word tokens `from..to` (inclusive). */
export interface CueMatch {
  cue: Cue
  from: number
  to: number
}

/**
 * The cues whose first element matches a word: those listed under the word,
 * then those with a prefix of its first letter (a cue in both lists comes
 * twice, as it always has); null when none.
 */
function cuesStartingWith(index: CueIndex, key: string): Cue[] | null {
  let out: Cue[] | null = null
  for (const list of [index.byWord.get(key), index.byInitial.get(key.charCodeAt(0))]) {
    if (list === undefined) continue
    for (const cue of list) if (elementMatches(cue.elements[0]!, key)) (out ??= []).push(cue)
  }
  return out
}

function startsOf(index: CueIndex, token: Token): Cue[] | null {
  const id = token.id
  if (id === NO_WORD_ID) return cuesStartingWith(index, token.key)
  index.startState = byteTableFor(index.startState, id)
  const state = index.startState[id]!
  if (state === STARTS_NONE) return null
  if (state === STARTS_SOME) return index.startsById.get(id)!
  const starts = cuesStartingWith(index, token.key)
  if (starts === null) index.startState[id] = STARTS_NONE
  else {
    index.startState[id] = STARTS_SOME
    index.startsById.set(id, starts)
  }
  return starts
}

/**
 * Every match of the index's cues in `words` (at most one per cue and start).
 *
 * @param index Compiled cues.
 * @param words The field's word tokens (see `wordTokens`).
 * @param blockers Words that cancel a match when one of them is among the `window` words before it.
 * @param unblock Words that undo a blocker right after it ("no cost", "sin coste").
 */
export function matchCues(index: CueIndex, words: Token[], blockers?: Set<string>, window = 3, unblock?: Set<string>): CueMatch[] {
  const out: CueMatch[] = []
  for (let i = 0; i < words.length; i++) {
    const starts = startsOf(index, words[i]!)
    if (starts === null) continue
    for (const cue of starts) {
      const first = cue.elements[0]!
      if (first.notNext !== null && i + 1 < words.length && first.notNext.has(words[i + 1]!.key)) continue
      const end = cue.elements.length === 1 ? i : matchFrom(cue, 1, i + 1, words)
      if (end < 0) continue
      if (blockers !== undefined && blocked(words, i, blockers, window, unblock)) continue
      out.push({ cue, from: i, to: end })
    }
  }
  return out
}

function blocked(words: Token[], at: number, blockers: Set<string>, window: number, unblock: Set<string> | undefined): boolean {
  for (let j = Math.max(0, at - window); j < at; j++) {
    if (!blockers.has(words[j]!.key)) continue
    if (unblock !== undefined && j + 1 < words.length && unblock.has(words[j + 1]!.key)) continue
    return true
  }
  return false
}
