/**
 * Building a lexicon's trie from its tables, without the tables: the runtime
 * (`lexicon.ts`) and scripts/build-sentiment.ts (which writes the stems
 * `stemTable` finds to `generated/stems.ts`) both use it, and the build must
 * run when a generated module is missing or stale.
 */
import type { LexiconTables } from './generated/lexicon.js'
import { stemKey } from './stem.js'

export type { LexiconTables }

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

/** Ints per slot of `Lexicon.edges`: parent serial + 1, word id, child serial. */
export const EDGE_INTS = 3

export function edgeSlot(parent: number, wordId: number, mask: number): number {
  return (Math.imul(Math.imul(parent, 0x9e3779b1) ^ wordId, 0x85ebca6b) >>> 8) & mask
}

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
    this.weight = widened(this.weight, size).fill(Number.NaN, this.weight.length)
    this.factor = widened(this.factor, size)
    this.before = widened(this.before, size)
    this.after = widened(this.after, size)
    this.flags = widened(this.flags, size)
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
        this.links = widened(this.links, this.links.length * 2)
        this.linkWords = widened(this.linkWords, this.linkWords.length * 2)
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

/** A column copied into a new one of `size` slots (the rest zero). */
function widened<T extends Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(column: T, size: number): T {
  const wide = new (column.constructor as new (size: number) => T)(size)
  wide.set(column as never)
  return wide
}

/** Call `fn` with the tab-separated fields of each line of a table. */
export function eachLine(table: string, fn: (key: string, a: string | undefined, b: string | undefined) => void): void {
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

/** Put a continuation in the first free slot of its probe sequence (the table has room). */
export function placeEdge(table: Int32Array, parent: number, key: number, child: number): void {
  const mask = table.length / EDGE_INTS - 1
  let i = edgeSlot(parent, key, mask)
  while (table[i * EDGE_INTS] !== 0) i = (i + 1) & mask
  table[i * EDGE_INTS] = parent + 1
  table[i * EDGE_INTS + 1] = key
  table[i * EDGE_INTS + 2] = child
}

/** A build's continuation table moved into one of `size` ints. */
function spread(table: Int32Array, size: number): Int32Array {
  const grown = new Int32Array(size)
  for (let at = 0; at < table.length; at += EDGE_INTS) {
    if (table[at] !== 0) placeEdge(grown, table[at]! - 1, table[at + 1]!, table[at + 2]!)
  }
  return grown
}
