/**
 * The compiled lexicons as phrase tries over token keys, built once per
 * process (per language, on first use) from the generated tables.
 */
import { EMOJI_TABLE, LEXICON_TABLES, type LexiconTables } from './generated/lexicon.js'
import { STEM_TABLES } from './generated/stems.js'
import { NO_WORD_ID, type Token, foldAccents, internWord } from '../text/index.js'
import { stemKey } from './stem.js'

/** Languages with a lexicon of their own. */
export type LexiconLanguage = 'en' | 'es' | 'it'

// What a trie node is, as bits of `Lexicon.flags` (a node is an index into
// the lexicon's columns: the tries hold no object per node, so building
// them allocates little and a lookup reads a few typed arrays).

/** Any of weight, negator, factor or contrast is set (checked once per lookup). */
export const PAYLOAD = 1
/** The phrase ending here is a negator. */
export const NEGATOR = 2
/** The word names rating stars ("stars", "estrellas", "stelle"): a number before it is a rating. */
export const STAR = 4
/** Found through the suffix-stripping fallback, not as written. */
export const STEMMED = 8
/** The phrase carries its own negation ("doesn't work", "no está mal"): an outer negator does not flip it again. */
export const NEGATED = 16
/** Some phrase continues past this node. */
export const HAS_NEXT = 32
/** The phrase must match as written (`Lexicon.exact` has the norms). */
export const EXACT = 64
/** The word opens an irrealis clause (`Lexicon.irrealis` has it as written). */
export const IRREALIS_OPENER = 128

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

/** A lexicon's columns while it is being built, as typed arrays grown by doubling. */
export class Builder {
  readonly root = new Map<string, number>()
  maxLength = 1
  /** Nodes made so far (the columns hold more slots). */
  count = 0
  weight: Float64Array<ArrayBuffer>
  factor: Float64Array<ArrayBuffer>
  before: Float64Array<ArrayBuffer>
  after: Float64Array<ArrayBuffer>
  flags: Uint8Array<ArrayBuffer>
  /** Each continuation as it was made: parent node, child node (`linkCount` pairs). */
  links: Int32Array<ArrayBuffer>
  /** Each continuation's key word, by its number in `wordNo`. */
  linkWords: Int32Array<ArrayBuffer>
  linkCount = 0
  /** Node → the key word it was reached by. */
  readonly word: string[] = []
  readonly irrealis = new Map<number, string>()
  readonly exact = new Map<number, string[]>()
  /** Key word → its number in this build (the continuations are keyed by it). */
  readonly wordNo = new Map<string, number>()
  /**
   * The continuations while building, as `Lexicon.edges` is laid out but keyed
   * by word number: no string is made per lookup.
   */
  private next: Int32Array

  /** @param tables The tables to be added: the columns start with room for their nodes (a guess by their size). */
  constructor(tables: readonly LexiconTables[] = []) {
    let chars = 0
    for (const t of tables) chars += t.words.length + t.negators.length + t.intensifiers.length + t.contrast.length
    // The tables hold 13-15 characters per node they make; the rest is room for stems.
    const size = Math.ceil(chars / 11) + 2048
    this.weight = new Float64Array(size).fill(Number.NaN)
    this.factor = new Float64Array(size)
    this.before = new Float64Array(size)
    this.after = new Float64Array(size)
    this.flags = new Uint8Array(size)
    // Phrases make about one continuation per two nodes; the table is kept at most half full.
    const half = size >> 1
    this.links = new Int32Array(half * 2)
    this.linkWords = new Int32Array(half)
    let slots = 1024
    while (slots < half * 2) slots *= 2
    this.next = new Int32Array(slots * EDGE_INTS)
  }

  node(word: string): number {
    const n = this.count++
    if (n === this.weight.length) this.grow()
    this.word.push(word)
    return n
  }

  private grow(): void {
    const size = this.weight.length * 2
    const weight = new Float64Array(size).fill(Number.NaN)
    weight.set(this.weight)
    this.weight = weight
    this.factor = widen(this.factor, size)
    this.before = widen(this.before, size)
    this.after = widen(this.after, size)
    const flags = new Uint8Array(size)
    flags.set(this.flags)
    this.flags = flags
  }

  rootOf(word: string): number {
    let n = this.root.get(word)
    if (n === undefined) {
      n = this.node(word)
      this.root.set(word, n)
    }
    return n
  }

  childOf(parent: number, word: string): number {
    let w = this.wordNo.get(word)
    if (w === undefined) {
      w = this.wordNo.size
      this.wordNo.set(word, w)
    }
    const table = this.next
    const mask = table.length / EDGE_INTS - 1
    for (let i = edgeSlot(parent, w, mask); ; i = (i + 1) & mask) {
      const at = i * EDGE_INTS
      const held = table[at]!
      if (held === parent + 1 && table[at + 1] === w) return table[at + 2]!
      if (held !== 0) continue
      const n = this.node(word)
      table[at] = parent + 1
      table[at + 1] = w
      table[at + 2] = n
      if (this.linkCount === this.linkWords.length) {
        const links = new Int32Array(this.links.length * 2)
        links.set(this.links)
        this.links = links
        const linkWords = new Int32Array(this.linkWords.length * 2)
        linkWords.set(this.linkWords)
        this.linkWords = linkWords
      }
      this.links[this.linkCount * 2] = parent
      this.links[this.linkCount * 2 + 1] = n
      this.linkWords[this.linkCount] = w
      this.linkCount++
      this.flags[parent] = this.flags[parent]! | HAS_NEXT
      // Kept at most half full: a probe ends soon at an empty slot.
      if (this.linkCount * 2 > table.length / EDGE_INTS) this.next = spread(table, table.length * 2)
      return n
    }
  }

  /** The node of a phrase (token keys joined by a space), made with its path if new. */
  insert(keys: string): number {
    let space = keys.indexOf(' ')
    if (space === -1) return this.rootOf(keys)
    let n = this.rootOf(keys.slice(0, space))
    let length = 1
    while (space !== -1) {
      const from = space + 1
      space = keys.indexOf(' ', from)
      n = this.childOf(n, keys.slice(from, space === -1 ? keys.length : space))
      length++
    }
    if (length > this.maxLength) this.maxLength = length
    return n
  }

  /** Recompute a node's PAYLOAD bit after its values changed. */
  settle(n: number): void {
    const w = this.weight[n]!
    const has = w === w || (this.flags[n]! & NEGATOR) !== 0 || this.factor[n]! > 0 || this.before[n]! > 0
    this.flags[n] = has ? this.flags[n]! | PAYLOAD : this.flags[n]! & ~PAYLOAD
  }
}

function widen(column: Float64Array<ArrayBuffer>, size: number): Float64Array<ArrayBuffer> {
  const wide = new Float64Array(size)
  wide.set(column)
  return wide
}

/** Call `fn` with the tab-separated fields of each line of a table. */
function eachLine(table: string, fn: (key: string, a: string | undefined, b: string | undefined) => void): void {
  if (table === '') return
  let from = 0
  while (from <= table.length) {
    let end = table.indexOf('\n', from)
    if (end === -1) end = table.length
    const t1 = table.indexOf('\t', from)
    if (t1 === -1 || t1 > end) fn(table.slice(from, end), undefined, undefined)
    else {
      const t2 = table.indexOf('\t', t1 + 1)
      if (t2 === -1 || t2 > end) fn(table.slice(from, t1), table.slice(t1 + 1, end), undefined)
      else {
        const t3 = table.indexOf('\t', t2 + 1)
        fn(table.slice(from, t1), table.slice(t1 + 1, t2), table.slice(t2 + 1, t3 === -1 || t3 > end ? end : t3))
      }
    }
    from = end + 1
  }
}

/** Add one language's tables to a lexicon (entries already present are kept). */
export function addTables(b: Builder, t: LexiconTables): void {
  const negators = new Set<string>()
  eachLine(t.negators, (k) => {
    if (k.indexOf(' ') === -1) negators.add(k)
  })
  eachLine(t.words, (k, w, exact) => {
    const n = b.insert(k)
    if (Number.isNaN(b.weight[n]!)) {
      b.weight[n] = Number(w)
      if (exact !== undefined) {
        b.exact.set(n, exact.split(' '))
        b.flags[n] = b.flags[n]! | EXACT
      }
    }
    if (k.indexOf(' ') !== -1 && k.split(' ').some((part) => negators.has(part))) b.flags[n] = b.flags[n]! | NEGATED
    b.settle(n)
  })
  eachLine(t.negators, (k) => {
    const n = b.insert(k)
    b.flags[n] = b.flags[n]! | NEGATOR
    b.settle(n)
  })
  eachLine(t.intensifiers, (k, f) => {
    const n = b.insert(k)
    if (b.factor[n] === 0) b.factor[n] = Number(f)
    b.settle(n)
  })
  eachLine(t.contrast, (k, before, after) => {
    const n = b.insert(k)
    if (b.before[n] === 0) {
      b.before[n] = Number(before)
      b.after[n] = Number(after)
    }
    b.settle(n)
  })
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

/**
 * The stems of a language's one-word sentiment entries whose entries agree in
 * sign, with their mean weight, as `stem<TAB>mean` lines in first-seen order.
 * Run by scripts/build-sentiment.ts, which writes them to
 * `generated/stems.ts`: stemming every entry took longer than the rest of a
 * lexicon's build, on every start.
 */
export function stemTable(tables: LexiconTables, lang: 'es' | 'it'): string {
  const b = new Builder([tables])
  addTables(b, tables)
  // Per stem, in first-seen order: the sum and count of its entries' weights
  // (summed in entry order, as the mean was always taken), and whether they
  // all share the first one's sign.
  const group = new Map<string, number>()
  const sum: number[] = []
  const count: number[] = []
  const sign: number[] = []
  const agree: boolean[] = []
  for (const [key, n] of b.root) {
    const w = b.weight[n]!
    if (!(w === w) || w === 0) continue
    const stem = stemKey(lang, key)
    if (stem === null) continue
    const g = group.get(stem)
    if (g === undefined) {
      group.set(stem, sum.length)
      sum.push(w)
      count.push(1)
      sign.push(Math.sign(w))
      agree.push(true)
    } else {
      sum[g] = sum[g]! + w
      count[g] = count[g]! + 1
      if (Math.sign(w) !== sign[g]) agree[g] = false
    }
  }
  const lines: string[] = []
  for (const [stem, g] of group) if (agree[g]) lines.push(`${stem}\t${sum[g]! / count[g]!}`)
  return lines.join('\n')
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

/** Ints per slot of `Lexicon.edges`: parent serial + 1, word id, child serial. */
const EDGE_INTS = 3

function edgeSlot(parent: number, wordId: number, mask: number): number {
  return (Math.imul(Math.imul(parent, 0x9e3779b1) ^ wordId, 0x85ebca6b) >>> 8) & mask
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

/** Put a continuation in the first free slot of its probe sequence (the table has room). */
function placeEdge(table: Int32Array, parent: number, key: number, child: number): void {
  const mask = table.length / EDGE_INTS - 1
  let i = edgeSlot(parent, key, mask)
  while (table[i * EDGE_INTS] !== 0) i = (i + 1) & mask
  table[i * EDGE_INTS] = parent + 1
  table[i * EDGE_INTS + 1] = key
  table[i * EDGE_INTS + 2] = child
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

/** A build's continuation table moved into one of `size` ints. */
function spread(table: Int32Array, size: number): Int32Array {
  const grown = new Int32Array(size)
  for (let at = 0; at < table.length; at += EDGE_INTS) {
    if (table[at] !== 0) placeEdge(grown, table[at]! - 1, table[at + 1]!, table[at + 2]!)
  }
  return grown
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
