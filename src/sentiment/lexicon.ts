/**
 * The compiled lexicons as phrase tries over token keys, built once per
 * process (per language, on first use) from the generated tables.
 */
import { EMOJI_TABLE, LEXICON_TABLES, type LexiconTables } from './generated/lexicon.js'

/** Languages with a lexicon of their own. */
export type LexiconLanguage = 'en' | 'es' | 'it'

/** One trie node: what the phrase ending here is, and how it continues. */
export interface LexNode {
  /** Sentiment weight of the phrase ending here; NaN when it is none (0 is a blocker). */
  weight: number
  /** The phrase ending here is a negator. */
  negator: boolean
  /** Intensifier factor of the phrase ending here; 0 when it is none. */
  factor: number
  /** Contrast multipliers for what precedes / follows; 0 when it is no contrast word. */
  before: number
  after: number
  /** Any of the above is set (checked once per lookup). */
  payload: boolean
  /** The word names rating stars ("stars", "estrellas", "stelle"): a number before it is a rating. */
  star: boolean
  next: Map<string, LexNode> | null
}

/** Words that turn a preceding number into a rating ("4 stars"). */
const STAR_WORDS = ['star', 'stars', 'estrella', 'estrellas', 'estrellita', 'estrellitas', 'stella', 'stelle', 'stellina', 'stelline']

/** A compiled lexicon: the trie roots and the longest phrase, in tokens. */
export interface Lexicon {
  root: Map<string, LexNode>
  maxLength: number
}

function newNode(): LexNode {
  return { weight: Number.NaN, negator: false, factor: 0, before: 0, after: 0, payload: false, star: false, next: null }
}

function insert(lex: Lexicon, keys: string, apply: (node: LexNode) => void): void {
  const parts = keys.split(' ')
  let map = lex.root
  let node: LexNode | undefined
  for (let i = 0; i < parts.length; i++) {
    node = map.get(parts[i]!)
    if (node === undefined) {
      node = newNode()
      map.set(parts[i]!, node)
    }
    if (i < parts.length - 1) {
      if (node.next === null) node.next = new Map()
      map = node.next
    }
  }
  if (parts.length > lex.maxLength) lex.maxLength = parts.length
  apply(node!)
  node!.payload = node!.weight === node!.weight || node!.negator || node!.factor > 0 || node!.before > 0
}

function eachLine(table: string, fn: (fields: string[]) => void): void {
  if (table === '') return
  for (const line of table.split('\n')) fn(line.split('\t'))
}

/** Add one language's tables to a lexicon (entries already present are kept). */
function addTables(lex: Lexicon, t: LexiconTables): void {
  eachLine(t.words, ([k, w]) =>
    insert(lex, k!, (n) => {
      if (Number.isNaN(n.weight)) n.weight = Number(w)
    }),
  )
  eachLine(t.negators, ([k]) =>
    insert(lex, k!, (n) => {
      n.negator = true
    }),
  )
  eachLine(t.intensifiers, ([k, f]) =>
    insert(lex, k!, (n) => {
      if (n.factor === 0) n.factor = Number(f)
    }),
  )
  eachLine(t.contrast, ([k, b, a]) =>
    insert(lex, k!, (n) => {
      if (n.before === 0) {
        n.before = Number(b)
        n.after = Number(a)
      }
    }),
  )
}

const cache = new Map<string, Lexicon>()

/**
 * The compiled lexicon of a language; `und` merges the three (the first
 * language listing a key keeps it: es, it, en).
 *
 * @param lang A lexicon language, or `und` for the merged lexicon.
 * @returns The trie, built on first use and shared afterwards.
 */
export function lexiconFor(lang: LexiconLanguage | 'und'): Lexicon {
  let lex = cache.get(lang)
  if (lex === undefined) {
    lex = { root: new Map(), maxLength: 1 }
    if (lang === 'und') for (const l of ['es', 'it', 'en'] as const) addTables(lex, LEXICON_TABLES[l])
    else addTables(lex, LEXICON_TABLES[lang])
    for (const word of STAR_WORDS) {
      let node = lex.root.get(word)
      if (node === undefined) {
        node = newNode()
        lex.root.set(word, node)
      }
      node.star = true
    }
    cache.set(lang, lex)
  }
  return lex
}

let emoji: Map<string, number> | null = null

/** The emoji and emoticon weights, keyed without variation selectors or skin tones. */
export function emojiTable(): Map<string, number> {
  if (emoji === null) {
    emoji = new Map()
    eachLine(EMOJI_TABLE, ([k, w]) => emoji!.set(k!, Number(w)))
  }
  return emoji
}
