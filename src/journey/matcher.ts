/**
 * The cue matcher of one language: token keys resolve to word-element ids
 * (one Map lookup, memoized with the stems a key starts with), and a trie over
 * those ids finds the leftmost-longest cue at each position. Filler words
 * ("really", "molto") may sit inside a phrase; punctuation may not.
 */
import { NO_WORD_ID, type Token } from '../text/index.js'
import { ANY_NUMBER, ANY_WORD } from './cue.js'

/** What a cue does when it matches: tag a stage (index ≥ 0), block, or split clauses. */
export const BLOCK = -1
export const CONTRAST = -2

/** Word-flag bit: the word may be skipped inside a phrase. */
export const FLAG_FILLER = 1

/** One outcome of a matched cue. */
export interface Output {
  /** Stage index, or `BLOCK` / `CONTRAST`. */
  stage: number
  weight: number
}

/** A trie node; edges are keyed by word-element id. */
export class Node {
  edges: Map<number, Node> | null = null
  any: Node | null = null
  out: Output[] | null = null
  /** The last tagging call that counted this cue: a cue repeated in one review counts once. */
  stamp = 0
}

/** What a token key resolves to: the ids of the elements it matches, and flags. */
export interface WordInfo {
  ids: number[]
  flags: number
  /** When the word starts exactly one cue and nothing longer: that cue's node (the common case, no trie walk). */
  leaf: Node | null
  /**
   * The root's children for `ids`, in `ids` order (ids without one left
   * out), so a match starting here needs no Map lookup; null for infos shared
   * by every matcher (numbers), whose children are looked up.
   */
  starts: Node[] | null
}

const NO_WORD: WordInfo = { ids: [], flags: 0, leaf: null, starts: null }
/** Marks a word id not resolved yet. */
const UNRESOLVED: WordInfo = { ids: [], flags: 0, leaf: null, starts: null }
/** Edge id of the `#` element: every number token carries it. */
const NUMBER_ID = -1
const NUMBER_INFO: WordInfo = { ids: [NUMBER_ID], flags: 0, leaf: null, starts: null }

// Keys of words the word table does not hold, remembered per matcher; the memo is
// cleared when it reaches this many. Every compiled taxonomy has a matcher per
// language, so a large cap multiplies: at 200,000 a stream of unique words (ids,
// hashes) held about 15 MB per matcher, and 32 tenants' taxonomies 1.7 GB.
const MEMO_CAP = 16_384
// Filler words skipped inside one phrase, at most.
const MAX_SKIPS = 2

/** One language's compiled cues. */
export class Matcher {
  readonly root = new Node()
  private readonly elementIds = new Map<string, number>()
  private readonly exact = new Map<string, number[]>()
  private readonly stems = new Map<string, number[]>()
  private readonly fillers = new Set<string>()
  private readonly memo = new Map<string, WordInfo>()
  /** Word id (of the token key) → its info, filled on first sight; UNRESOLVED where not yet. */
  private infoById: WordInfo[] = []
  private minStem = Infinity
  private maxStem = 0

  /** Mark a word key as a filler that may sit inside phrases. */
  addFiller(key: string): void {
    this.fillers.add(key)
  }

  /** Add one compiled cue (its elements) with what it does when it matches. */
  add(elements: readonly string[], output: Output): void {
    let node = this.root
    for (const element of elements) {
      if (element === ANY_WORD) node = node.any ??= new Node()
      else {
        const id = element === ANY_NUMBER ? NUMBER_ID : this.idOf(element)
        const edges = (node.edges ??= new Map())
        let next = edges.get(id)
        if (next === undefined) edges.set(id, (next = new Node()))
        node = next
      }
    }
    const out = (node.out ??= [])
    const same = out.find((o) => o.stage === output.stage)
    if (same === undefined) out.push(output)
    else same.weight = Math.max(same.weight, output.weight)
    this.memo.clear()
    this.infoById = []
  }

  private idOf(element: string): number {
    let id = this.elementIds.get(element)
    if (id !== undefined) return id
    id = this.elementIds.size
    this.elementIds.set(element, id)
    for (const alt of element.split('|')) {
      if (alt.endsWith('*')) {
        const stem = alt.slice(0, -1)
        push(this.stems, stem, id)
        if (stem.length < this.minStem) this.minStem = stem.length
        if (stem.length > this.maxStem) this.maxStem = stem.length
      } else push(this.exact, alt, id)
    }
    return id
  }

  /**
   * The elements a word token matches, by its word id (an array read once
   * seen); words the word table does not hold go through `resolve`.
   */
  resolveWord(key: string, id: number): WordInfo {
    if (id === NO_WORD_ID) return this.resolve(key)
    const cache = this.infoById
    if (id < cache.length) {
      const known = cache[id]!
      if (known !== UNRESOLVED) return known
    } else while (cache.length <= id) cache.push(UNRESOLVED)
    const info = this.compute(key)
    cache[id] = info
    return info
  }

  /** The elements a token key matches (memoized). */
  resolve(key: string): WordInfo {
    const hit = this.memo.get(key)
    if (hit !== undefined) return hit
    const info = this.compute(key)
    if (this.memo.size >= MEMO_CAP) this.memo.clear()
    this.memo.set(key, info)
    return info
  }

  private compute(key: string): WordInfo {
    let ids: number[] | null = null
    const exact = this.exact.get(key)
    if (exact !== undefined) ids = exact.slice()
    const top = Math.min(this.maxStem, key.length)
    for (let len = this.minStem; len <= top; len++) {
      const stem = this.stems.get(key.slice(0, len))
      if (stem === undefined) continue
      ids ??= []
      for (const id of stem) if (!ids.includes(id)) ids.push(id)
    }
    const flags = this.fillers.has(key) ? FLAG_FILLER : 0
    if (ids === null && flags === 0) return NO_WORD
    let leaf: Node | null = null
    if (ids !== null && ids.length === 1) {
      const child = this.root.edges?.get(ids[0]!)
      if (child !== undefined && child.out !== null && child.edges === null && child.any === null) leaf = child
    }
    const starts: Node[] = []
    for (const id of ids ?? []) {
      const child = this.root.edges?.get(id)
      if (child !== undefined) starts.push(child)
    }
    return { ids: ids ?? [], flags, leaf, starts }
  }

  /** Info of any token: words resolve, numbers match `#`, the rest match nothing. */
  infoOf(token: Token): WordInfo {
    if (token.kind === 'word') return this.resolveWord(token.key, token.id)
    return token.kind === 'number' ? NUMBER_INFO : NO_WORD
  }
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

// Longest match found by `longestAt`, kept in module state to avoid allocating per token.
// Several cues can end at the same token (two stages' cues on one word): all of them count.
let bestEnd = -1
const bestNodes: Node[] = []
let bestCount = 0

/**
 * The longest cues starting at token `i`.
 *
 * @param tokens The field's tokens.
 * @param infos Each token's resolved info (same indexes).
 * @param i Start token.
 * @param root The matcher's trie root.
 * @returns The end token index (inclusive), or -1; the matched nodes are in `matchedNodes()`.
 */
export function longestAt(tokens: readonly Token[], infos: readonly WordInfo[], i: number, root: Node): number {
  bestCount = 0
  const info = infos[i]!
  if (info.leaf !== null) {
    bestNodes[0] = info.leaf
    bestCount = 1
    return (bestEnd = i)
  }
  bestEnd = -1
  if (info.ids.length > 0) visitFrom(tokens, infos, i, root, MAX_SKIPS, true)
  return bestEnd
}

/** How many nodes the last `longestAt` matched; read them with `matchedNode`. */
export function matchedCount(): number {
  return bestCount
}

/** The k-th node of the last `longestAt` match. */
export function matchedNode(k: number): Node {
  return bestNodes[k]!
}

function visitFrom(tokens: readonly Token[], infos: readonly WordInfo[], j: number, node: Node, skips: number, first: boolean): void {
  if (j >= tokens.length) return
  const tok = tokens[j]!
  const info = infos[j]!
  if (first && info.starts !== null) {
    // At the root: the word's children were found when it was resolved.
    const starts = info.starts
    for (let k = 0; k < starts.length; k++) take(tokens, infos, j, starts[k]!, skips)
    return
  }
  const edges = node.edges
  if (edges !== null) {
    const ids = info.ids
    for (let k = 0; k < ids.length; k++) {
      const child = edges.get(ids[k]!)
      if (child !== undefined) take(tokens, infos, j, child, skips)
    }
  }
  if (first || tok.kind !== 'word') return
  if (node.any !== null) take(tokens, infos, j, node.any, skips)
  if (skips > 0 && (info.flags & FLAG_FILLER) !== 0) visitFrom(tokens, infos, j + 1, node, skips - 1, false)
}

function isBest(node: Node): boolean {
  for (let k = 0; k < bestCount; k++) if (bestNodes[k] === node) return true
  return false
}

function take(tokens: readonly Token[], infos: readonly WordInfo[], j: number, child: Node, skips: number): void {
  if (child.out !== null) {
    if (j > bestEnd) {
      bestEnd = j
      bestNodes[0] = child
      bestCount = 1
    } else if (j === bestEnd && !isBest(child)) bestNodes[bestCount++] = child
  }
  if (child.edges !== null || child.any !== null) visitFrom(tokens, infos, j + 1, child, skips, false)
}
