/**
 * The compiled lexicons as phrase tries over token keys, built once per
 * process (per language, on first use) from the generated tables.
 */
import { EMOJI_TABLE, LEXICON_TABLES, type LexiconTables } from './generated/lexicon.js'
import { STEM_TABLES } from './generated/stems.js'
import { NO_WORD_ID, type Token, foldAccents, internWord } from '../text/index.js'
import { Builder, EDGE_INTS, HAS_NEXT, IRREALIS_OPENER, PAYLOAD, STAR, STEMMED, addTables, eachLine, edgeSlot, placeEdge } from './builder.js'
import { stemKey } from './stem.js'

export { EXACT, HAS_NEXT, IRREALIS_OPENER, NEGATED, NEGATOR, PAYLOAD, STAR, STEMMED } from './builder.js'

/** Languages with a lexicon of their own. */
export type LexiconLanguage = 'en' | 'es' | 'it'

/**
 * Words that open an irrealis clause (conditions, wishes, expectations): a term
 * inside it ("it would be perfect if…", "esperaba algo bueno") states no
 * experience. Matched only when no phrase starting there applies.
 */
const IRREALIS: Record<LexiconLanguage, string[]> = {
  en: ['if', 'would', 'could', 'should', 'supposed', 'hoping', 'hoped', 'expected', 'expecting', 'wish', 'wished', 'unless', 'whether', 'might', 'thought'],
  es: ['si', 'ojalá', 'debería', 'deberían', 'esperaba', 'esperábamos', 'supuestamente', 'supone', 'habría', 'hubiera', 'hubiese', 'podría', 'pensaba', 'creía', 'esperando'],
  it: ['se', 'dovrebbe', 'dovrebbero', 'doveva', 'dovevano', 'avrei', 'sarebbe', 'sarebbero', 'speravo', 'pensavo', 'aspettavo', 'magari', 'potrebbe', 'credevo', 'sperando'],
}

/** Words that turn a preceding number into a rating ("4 stars"). */
const STAR_WORDS = ['star', 'stars', 'estrella', 'estrellas', 'estrellita', 'estrellitas', 'stella', 'stelle', 'stellina', 'stelline']

/** A node index that is no node. */
export const NO_NODE = -1

/** A compiled lexicon: the trie roots, the nodes' columns and the longest phrase, in tokens. */
export interface Lexicon {
  /** First word of a phrase → its node. */
  root: Map<string, number>
  maxLength: number
  /** Node → sentiment weight of the phrase ending there; NaN when it is none (0 is a blocker). */
  weight: Float64Array
  /** Node → intensifier factor; 0 when it is none. */
  factor: Float64Array
  /** Node → contrast multipliers for what precedes / follows; 0 when it is no contrast word. */
  before: Float64Array
  after: Float64Array
  /** Node → PAYLOAD, NEGATOR, STAR, STEMMED, NEGATED, HAS_NEXT, EXACT, IRREALIS_OPENER bits. */
  flags: Uint8Array
  /**
   * Node → the word as written that opens an irrealis clause there ("if",
   * "would", "esperaba", "speravo": what follows in the clause is not
   * asserted); "si" opens one, "sí" does not.
   */
  irrealis: Map<number, string>
  /** Node → token norms the phrase must match as written (accent-bearing blockers). */
  exact: Map<number, string[]>
  /** es/it: stem → node for words the lexicon does not list (null for en and und). */
  stems: Map<string, number> | null
  /** Misses already stemmed (bounded). */
  stemCache: Map<string, number>
  stemLang: 'es' | 'it' | null
  /**
   * Word id (of the token key) → `root.get(key)` + 2 (1 when absent, 0 when
   * not looked up yet), filled on first sight: a token costs an array read
   * instead of a Map lookup.
   */
  rootById: Int32Array
  /** Word id → `lookupStem` + 2, like `rootById`. */
  stemById: Int32Array
  /**
   * Every phrase continuation as one open-addressing table, EDGE_INTS ints per
   * slot: parent node + 1 (0: empty), the word id of the key, the child node.
   * One probe is one cache line. Null when some key had no word id (the word
   * table was full): then continuations are read by key (`byKey`).
   */
  edges: Int32Array | null
  /** Bit per word id: the word is the key of some continuation (a probe of `edges` can hit). */
  edgeKeys: Uint32Array
  /** Each continuation: parent node, child node (the key is `word[child]`). */
  links: Int32Array
  /** Node → the key word it was reached by. */
  word: string[]
  /**
   * `${parent}\t${key}` → child node, for keys without a word id: made from
   * `links` the first time one comes (null until then).
   */
  byKey: Map<string, number> | null
}

/** The stem cache is cleared when it reaches this many words. */
const STEM_CACHE_MAX = 20_000

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
    const langs = lang === 'und' ? (['es', 'it', 'en'] as const) : [lang]
    const b = new Builder(langs.map((l) => LEXICON_TABLES[l]))
    for (const l of langs) addTables(b, LEXICON_TABLES[l])
    for (const word of STAR_WORDS) {
      const n = b.rootOf(word)
      b.flags[n] = b.flags[n]! | STAR
    }
    for (const l of langs) {
      for (const word of IRREALIS[l]) {
        const n = b.rootOf(foldAccents(word))
        b.irrealis.set(n, word)
        b.flags[n] = b.flags[n]! | IRREALIS_OPENER
      }
    }
    const stemLang = lang === 'es' || lang === 'it' ? lang : null
    const stems = stemLang === null ? null : addStems(b, STEM_TABLES[stemLang])
    const built = buildEdges(b)
    const n = b.count
    lex = {
      root: b.root,
      maxLength: b.maxLength,
      weight: b.weight.slice(0, n),
      factor: b.factor.slice(0, n),
      before: b.before.slice(0, n),
      after: b.after.slice(0, n),
      flags: b.flags.slice(0, n),
      irrealis: b.irrealis,
      exact: b.exact,
      stems,
      stemCache: new Map(),
      stemLang,
      rootById: new Int32Array(1024),
      stemById: new Int32Array(1024),
      edges: built?.table ?? null,
      edgeKeys: built?.keys ?? new Uint32Array(0),
      links: b.links.slice(0, b.linkCount * 2),
      word: b.word,
      byKey: null,
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
    eachLine(EMOJI_TABLE, (k, w) => emoji!.set(k, Number(w)))
  }
  return emoji
}

/** The stems of `stemTable` as nodes of their own; stem → node. */
function addStems(b: Builder, table: string): Map<string, number> {
  const stems = new Map<string, number>()
  eachLine(table, (stem, mean) => {
    const n = b.node(stem)
    b.weight[n] = Number(mean)
    b.flags[n] = PAYLOAD | STEMMED
    stems.set(stem, n)
  })
  return stems
}

/** The continuation table of a built trie; null if a key has no word id. */
function buildEdges(b: Builder): { table: Int32Array; keys: Uint32Array } | null {
  // Each key word's id, interned once per word, by its number in the build.
  const ids = new Int32Array(b.wordNo.size)
  let top = 0
  let no = 0
  for (const word of b.wordNo.keys()) {
    const id = internWord(word)
    if (id === NO_WORD_ID) return null
    ids[no++] = id
    if (id > top) top = id
  }
  let size = 1
  while (size < b.linkCount * 2) size <<= 1
  const table = new Int32Array(size * EDGE_INTS)
  for (let l = 0; l < b.linkCount; l++) placeEdge(table, b.links[l * 2]!, ids[b.linkWords[l]!]!, b.links[l * 2 + 1]!)
  const keys = new Uint32Array((top >>> 5) + 1)
  for (let i = 0; i < ids.length; i++) keys[ids[i]! >>> 5]! |= 1 << (ids[i]! & 31)
  return { table, keys }
}

/**
 * The phrase continuation of node `n` by a token (`n` must have HAS_NEXT).
 *
 * @param lex The lexicon `n` belongs to.
 * @param n A trie node with continuations.
 * @param token The next token (a word or a number).
 * @returns The child node, or NO_NODE.
 */
export function childOf(lex: Lexicon, n: number, token: Token): number {
  const edges = lex.edges
  const id = token.id
  if (edges === null || id === NO_WORD_ID) return (lex.byKey ?? keyedLinks(lex)).get(`${n}\t${token.key}`) ?? NO_NODE
  // Most words continue no phrase at all: one bit says so without a probe.
  const keys = lex.edgeKeys
  if (id >>> 5 >= keys.length || (keys[id >>> 5]! & (1 << (id & 31))) === 0) return NO_NODE
  const mask = edges.length / EDGE_INTS - 1
  const parent = n + 1
  for (let i = edgeSlot(n, id, mask); ; i = (i + 1) & mask) {
    const at = i * EDGE_INTS
    const held = edges[at]!
    if (held === 0) return NO_NODE
    if (held === parent && edges[at + 1] === id) return edges[at + 2]!
  }
}

/** The continuations by `${parent}\t${key}`, made on first need. */
function keyedLinks(lex: Lexicon): Map<string, number> {
  const byKey = new Map<string, number>()
  const links = lex.links
  for (let l = 0; l < links.length; l += 2) byKey.set(`${links[l]!}\t${lex.word[links[l + 1]!]!}`, links[l + 1]!)
  lex.byKey = byKey
  return byKey
}

/** A per-id cache grown to hold `id`. */
function reach(cache: Int32Array, id: number): Int32Array {
  let n = cache.length * 2
  while (n <= id) n *= 2
  const grown = new Int32Array(n)
  grown.set(cache)
  return grown
}

/**
 * The trie root's node for a token key.
 *
 * @param lex A compiled lexicon.
 * @param key The token's key.
 * @param id The token's word id (NO_WORD_ID: looked up by `key`).
 * @returns The node, or NO_NODE when the lexicon has no phrase starting with it.
 */
export function rootNode(lex: Lexicon, key: string, id: number): number {
  if (id === NO_WORD_ID) return lex.root.get(key) ?? NO_NODE
  let cache = lex.rootById
  if (id < cache.length) {
    const known = cache[id]!
    if (known !== 0) return known - 2
  } else cache = lex.rootById = reach(cache, id)
  const n = lex.root.get(key) ?? NO_NODE
  cache[id] = n + 2
  return n
}

/**
 * The stem fallback for a word the lexicon does not list.
 *
 * @param lex A compiled lexicon with stems (es, it).
 * @param key The word's accent-folded key.
 * @param id Its word id (NO_WORD_ID: cached by `key` in a bounded map).
 * @returns The node of its stem, or NO_NODE.
 */
export function lookupStem(lex: Lexicon, key: string, id: number): number {
  if (id !== NO_WORD_ID) {
    let cache = lex.stemById
    if (id < cache.length) {
      const known = cache[id]!
      if (known !== 0) return known - 2
    } else cache = lex.stemById = reach(cache, id)
    const n = stemNodeOf(lex, key)
    cache[id] = n + 2
    return n
  }
  const cached = lex.stemCache.get(key)
  if (cached !== undefined) return cached
  const n = stemNodeOf(lex, key)
  if (lex.stemCache.size >= STEM_CACHE_MAX) lex.stemCache.clear()
  lex.stemCache.set(key, n)
  return n
}

function stemNodeOf(lex: Lexicon, key: string): number {
  const stem = stemKey(lex.stemLang!, key)
  return stem === null ? NO_NODE : (lex.stems!.get(stem) ?? NO_NODE)
}
