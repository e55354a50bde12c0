/**
 * The compiled lexicons as phrase tries over token keys, built once per
 * process (per language, on first use) from the generated tables.
 */
import { EMOJI_TABLE, LEXICON_TABLES, type LexiconTables } from './generated/lexicon.js'
import { NO_WORD_ID, type Token, foldAccents, internWord } from '../text/index.js'
import { stemKey } from './stem.js'

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
  /** Found through the suffix-stripping fallback, not as written. */
  stemmed: boolean
  /**
   * The word opens an irrealis clause ("if", "would", "esperaba", "speravo"):
   * what follows in the clause is not asserted. Holds the word as written
   * ("si" opens one, "sí" does not), or null.
   */
  irrealis: string | null
  /** Token norms the phrase must match as written (accent-bearing blockers), or null. */
  exact: string[] | null
  /** The phrase carries its own negation ("doesn't work", "no está mal"): an outer negator does not flip it again. */
  negated: boolean
  next: Map<string, LexNode> | null
  /** Index in `Lexicon.nodes` of a node with continuations (-1 otherwise). */
  serial: number
}

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

/** A compiled lexicon: the trie roots and the longest phrase, in tokens. */
export interface Lexicon {
  root: Map<string, LexNode>
  maxLength: number
  /** es/it: stem → node for words the lexicon does not list (null for en and und). */
  stems: Map<string, LexNode> | null
  /** Misses already stemmed (bounded). */
  stemCache: Map<string, LexNode | null>
  stemLang: 'es' | 'it' | null
  /**
   * Word id (of the token key) → `root.get(key)` (null when absent), filled
   * on first sight: a token costs an array read instead of a Map lookup.
   * UNRESOLVED where not looked up yet.
   */
  rootById: (LexNode | null)[]
  /** Word id → `lookupStem` (null when none), like `rootById`. */
  stemById: (LexNode | null)[]
  /** Every trie node below the root level's Maps, by serial (see `LexNode.serial`). */
  nodes: LexNode[]
  /**
   * Every phrase continuation as one open-addressing table, EDGE_INTS ints per
   * slot: parent serial + 1 (0: empty), the word id of the key, the child's
   * serial. One probe is one cache line, where a node's Map costs several
   * misses. Null when some key had no word id (the word table was full): then
   * continuations are read from the Maps.
   */
  edges: Int32Array | null
}

/** The stem cache is cleared when it reaches this many words. */
const STEM_CACHE_MAX = 20_000

/** Marks a word id whose node has not been looked up yet. */
const UNRESOLVED: LexNode = newNode()

function newNode(): LexNode {
  return { weight: Number.NaN, negator: false, factor: 0, before: 0, after: 0, payload: false, star: false, stemmed: false, negated: false, irrealis: null, exact: null, next: null, serial: -1 }
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
  const negators = new Set<string>()
  eachLine(t.negators, ([k]) => {
    if (k!.indexOf(' ') === -1) negators.add(k!)
  })
  eachLine(t.words, ([k, w, exact]) =>
    insert(lex, k!, (n) => {
      if (Number.isNaN(n.weight)) {
        n.weight = Number(w)
        if (exact !== undefined) n.exact = exact.split(' ')
      }
      if (k!.indexOf(' ') !== -1 && k!.split(' ').some((part) => negators.has(part))) n.negated = true
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
    lex = { root: new Map(), maxLength: 1, stems: null, stemCache: new Map(), stemLang: null, rootById: [], stemById: [], nodes: [], edges: null }
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
    for (const l of lang === 'und' ? (['es', 'it', 'en'] as const) : [lang]) {
      for (const word of IRREALIS[l]) {
        const key = foldAccents(word)
        let node = lex.root.get(key)
        if (node === undefined) {
          node = newNode()
          lex.root.set(key, node)
        }
        node.irrealis = word
      }
    }
    if (lang === 'es' || lang === 'it') {
      lex.stemLang = lang
      lex.stems = buildStems(lex, lang)
    }
    lex.edges = buildEdges(lex)
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

/** Stems of the one-word sentiment entries whose entries agree in sign, with their mean weight. */
function buildStems(lex: Lexicon, lang: 'es' | 'it'): Map<string, LexNode> {
  const groups = new Map<string, number[]>()
  for (const [key, node] of lex.root) {
    const w = node.weight
    if (!(w === w) || w === 0) continue
    const stem = stemKey(lang, key)
    if (stem === null) continue
    const g = groups.get(stem)
    if (g === undefined) groups.set(stem, [w])
    else g.push(w)
  }
  const stems = new Map<string, LexNode>()
  for (const [stem, ws] of groups) {
    if (!ws.every((w) => Math.sign(w) === Math.sign(ws[0]!))) continue
    const node = newNode()
    node.weight = ws.reduce((a, b) => a + b, 0) / ws.length
    node.payload = true
    node.stemmed = true
    stems.set(stem, node)
  }
  return stems
}

/** Ints per slot of `Lexicon.edges`: parent serial + 1, word id, child serial. */
const EDGE_INTS = 3

function edgeSlot(parent: number, wordId: number, mask: number): number {
  return (Math.imul(Math.imul(parent, 0x9e3779b1) ^ wordId, 0x85ebca6b) >>> 8) & mask
}

/** The continuation table of a built trie, serials given to the nodes with continuations; null if a key has no word id. */
function buildEdges(lex: Lexicon): Int32Array | null {
  const list: [number, number, LexNode][] = []
  const visit = (node: LexNode): boolean => {
    if (node.next === null) return true
    node.serial = lex.nodes.length
    lex.nodes.push(node)
    for (const [key, child] of node.next) {
      const id = internWord(key)
      if (id === NO_WORD_ID) return false
      list.push([node.serial, id, child])
      if (!visit(child)) return false
    }
    return true
  }
  for (const node of lex.root.values()) if (!visit(node)) return null
  // Children get serials too, so a hit needs no other lookup.
  for (const [, , child] of list) {
    if (child.serial !== -1) continue
    child.serial = lex.nodes.length
    lex.nodes.push(child)
  }
  let size = 1
  while (size < list.length * 2) size <<= 1
  const table = new Int32Array(size * EDGE_INTS)
  const mask = size - 1
  for (const [parent, id, child] of list) {
    let i = edgeSlot(parent, id, mask)
    while (table[i * EDGE_INTS] !== 0) i = (i + 1) & mask
    table[i * EDGE_INTS] = parent + 1
    table[i * EDGE_INTS + 1] = id
    table[i * EDGE_INTS + 2] = child.serial
  }
  return table
}

/**
 * The phrase continuation of `node` by a token (its `next` must not be null).
 *
 * @param lex The lexicon `node` belongs to.
 * @param node A trie node with continuations.
 * @param token The next token (a word or a number).
 * @returns The child node, or undefined.
 */
export function childOf(lex: Lexicon, node: LexNode, token: Token): LexNode | undefined {
  const edges = lex.edges
  if (edges === null || token.id === NO_WORD_ID) return node.next!.get(token.key)
  const mask = edges.length / EDGE_INTS - 1
  const parent = node.serial + 1
  for (let i = edgeSlot(node.serial, token.id, mask); ; i = (i + 1) & mask) {
    const at = i * EDGE_INTS
    const held = edges[at]!
    if (held === 0) return undefined
    if (held === parent && edges[at + 1] === token.id) return lex.nodes[edges[at + 2]!]
  }
}

/** Grow a per-id cache to hold `id` (pushing keeps it a dense array). */
function reach(cache: (LexNode | null)[], id: number): void {
  while (cache.length <= id) cache.push(UNRESOLVED)
}

/**
 * The trie root's node for a token key.
 *
 * @param lex A compiled lexicon.
 * @param key The token's key.
 * @param id The token's word id (NO_WORD_ID: looked up by `key`).
 * @returns The node, or null when the lexicon has no phrase starting with it.
 */
export function rootNode(lex: Lexicon, key: string, id: number): LexNode | null {
  if (id === NO_WORD_ID) return lex.root.get(key) ?? null
  const cache = lex.rootById
  if (id < cache.length) {
    const known = cache[id]!
    if (known !== UNRESOLVED) return known
  } else reach(cache, id)
  const node = lex.root.get(key) ?? null
  cache[id] = node
  return node
}

/**
 * The stem fallback for a word the lexicon does not list.
 *
 * @param lex A compiled lexicon with stems (es, it).
 * @param key The word's accent-folded key.
 * @param id Its word id (NO_WORD_ID: cached by `key` in a bounded map).
 * @returns The node of its stem, or null.
 */
export function lookupStem(lex: Lexicon, key: string, id: number): LexNode | null {
  if (id !== NO_WORD_ID) {
    const cache = lex.stemById
    if (id < cache.length) {
      const known = cache[id]!
      if (known !== UNRESOLVED) return known
    } else reach(cache, id)
    const node = stemNodeOf(lex, key)
    cache[id] = node
    return node
  }
  const cached = lex.stemCache.get(key)
  if (cached !== undefined) return cached
  const node = stemNodeOf(lex, key)
  if (lex.stemCache.size >= STEM_CACHE_MAX) lex.stemCache.clear()
  lex.stemCache.set(key, node)
  return node
}

function stemNodeOf(lex: Lexicon, key: string): LexNode | null {
  const stem = stemKey(lex.stemLang!, key)
  return stem === null ? null : (lex.stems!.get(stem) ?? null)
}
