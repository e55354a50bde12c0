/**
 * The process-wide word table: each distinct word form the tokenizer meets
 * gets a dense id, once. Tokens carry the ids of their `norm` and `key`, so
 * every analyzer can keep what it knows about a word in an array indexed by
 * id (a read) instead of a string-keyed Map (hashing and comparing the
 * characters of a fresh string per token, per analyzer). The tokenizer looks a
 * word up by its character range, without slicing it out: a word seen before
 * costs one hash over its characters and one comparison, and its token shares
 * the table's strings.
 *
 * Ids are never reused, so anything cached against an id stays valid. The
 * table is bounded: past MAX_WORD_IDS distinct words (or for words longer than
 * MAX_WORD_LENGTH) tokens get NO_WORD_ID, and analyzers fall back to their
 * string lookups, which give the same answers.
 */
import { foldAccents } from './fold.js'

/** Id of a token that is not a word, or a word the table does not hold. */
export const NO_WORD_ID = -1

/**
 * Distinct word forms held, at most: a stream of unique "words" (ids, hashes,
 * keyboard mashing) must not grow memory without bound. 2^18 forms is about
 * 10 MB with the analyzers' per-id data; the dev corpora have ~60k.
 */
const MAX_WORD_IDS = 1 << 18
/** Longer words are not held: they are noise (URLs without dots, glued text) and would pin memory. */
const MAX_WORD_LENGTH = 48
/** FNV-1a, 32-bit: the hash the tokenizer folds over a word's lower-cased characters as it scans them. */
export const WORD_HASH_SEED = 0x811c9dc5 | 0
export const WORD_HASH_PRIME = 0x01000193

// id → string, id → id of its accent-folded form (itself when it has no accent), id → `wordHash`.
const words: string[] = []
let keyIds = new Int32Array(1024)
let hashes = new Int32Array(1024)
// Open addressing, two ints per slot (one cache line for both): id + 1 (0 = empty), then the word's hash.
let slots = new Int32Array(2 << 12)
let limit = MAX_WORD_IDS
/**
 * A direct-mapped cache in front of the table, by the hash's low bits: id + 1
 * of the last word seen with those bits. Reviews are mostly frequent words,
 * whose ids, hashes and strings stay in the CPU cache this way; the big
 * table's slots are a cache miss each.
 */
const RECENT_BITS = 12
const recent = new Int32Array(1 << RECENT_BITS)
const RECENT_MASK = (1 << RECENT_BITS) - 1

/** The hash of a whole string, as the tokenizer computes it over a range. */
export function wordHash(s: string): number {
  let h = WORD_HASH_SEED
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), WORD_HASH_PRIME)
  return h
}

function firstSlot(hash: number, mask: number): number {
  // Multiplicative mixing: FNV's low bits alone cluster on short words.
  return (Math.imul(hash, 0x9e3779b1) >>> 12) & mask
}

function sameRange(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false
  return true
}

/**
 * The id of the word `text[start, end)`, added on first sight.
 *
 * @param text The lower-cased text the word is in.
 * @param start Its first character.
 * @param end One past its last character.
 * @param hash `wordHash` of the range (the tokenizer folds it while scanning).
 * @returns Its id, or NO_WORD_ID when the table is full or the word too long.
 */
export function internRange(text: string, start: number, end: number, hash: number): number {
  const r = hash & RECENT_MASK
  const seen = recent[r]!
  if (seen !== 0 && hashes[seen - 1] === hash && sameRange(words[seen - 1]!, text, start, end)) return seen - 1
  if (end - start > MAX_WORD_LENGTH) return NO_WORD_ID
  const mask = (slots.length >> 1) - 1
  for (let i = firstSlot(hash, mask); ; i = (i + 1) & mask) {
    const held = slots[2 * i]!
    if (held === 0) {
      const id = add(detach(text, start, end), hash)
      if (id !== NO_WORD_ID) recent[r] = id + 1
      return id
    }
    if (slots[2 * i + 1] === hash && sameRange(words[held - 1]!, text, start, end)) {
      recent[r] = held
      return held - 1
    }
  }
}

/**
 * The id of a word given as a string, added on first sight.
 *
 * @param word A lower-cased word form.
 * @returns Its id, or NO_WORD_ID when the table is full or the word too long.
 */
export function internWord(word: string): number {
  return internRange(word, 0, word.length, wordHash(word))
}

const codes = new Uint16Array(MAX_WORD_LENGTH)

/** A flat copy of `text[start, end)`: V8 makes long substrings views that keep all of `text` alive. */
function detach(text: string, start: number, end: number): string {
  for (let i = start; i < end; i++) codes[i - start] = text.charCodeAt(i)
  return String.fromCharCode.apply(null, codes.subarray(0, end - start) as unknown as number[])
}

function add(word: string, hash: number): number {
  if (words.length >= limit) return NO_WORD_ID
  // The folded form first: a word is held only together with its key.
  const key = foldAccents(word)
  const keyId = key === word ? words.length : internWord(key)
  if (keyId === NO_WORD_ID || words.length >= limit) return NO_WORD_ID
  const id = words.length
  words.push(word)
  if (id >= keyIds.length) {
    keyIds = doubled(keyIds)
    hashes = doubled(hashes)
  }
  keyIds[id] = keyId
  hashes[id] = hash
  // Keep the table at most half full (slots.length counts two ints per slot).
  if (words.length * 4 > slots.length) rehash()
  const mask = (slots.length >> 1) - 1
  let i = firstSlot(hash, mask)
  while (slots[2 * i] !== 0) i = (i + 1) & mask
  slots[2 * i] = id + 1
  slots[2 * i + 1] = hash
  return id
}

function doubled(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2)
  grown.set(a)
  return grown
}

function rehash(): void {
  const next = new Int32Array(slots.length * 2)
  const mask = (next.length >> 1) - 1
  for (let s = 0; s < slots.length; s += 2) {
    const held = slots[s]!
    if (held === 0) continue
    let i = firstSlot(slots[s + 1]!, mask)
    while (next[2 * i] !== 0) i = (i + 1) & mask
    next[2 * i] = held
    next[2 * i + 1] = slots[s + 1]!
  }
  slots = next
}

/**
 * The word form of an id.
 *
 * @param id A word id (not NO_WORD_ID).
 * @returns The lower-cased word.
 */
export function wordOf(id: number): string {
  return words[id]!
}

/**
 * The id of a word's accent-folded form.
 *
 * @param id A word id (not NO_WORD_ID).
 * @returns The id of `foldAccents(wordOf(id))` (the same id when the word has no accent).
 */
export function keyIdOf(id: number): number {
  return keyIds[id]!
}

/**
 * The FNV-1a hash of a word (`fnv1a` of `text/shingles.ts`, as a signed 32-bit integer).
 *
 * @param id A word id (not NO_WORD_ID).
 * @returns `wordHash(wordOf(id))`, computed once when the word was added.
 */
export function hashOf(id: number): number {
  return hashes[id]!
}

/**
 * A per-word-id byte table (an analyzer's cache of facts about each word)
 * long enough to hold `id`: the table itself, or a copy doubled until it is.
 *
 * @param table The table so far.
 * @param id A word id.
 * @returns A table with an entry for `id` (assign it back).
 */
export function byteTableFor(table: Uint8Array<ArrayBuffer>, id: number): Uint8Array<ArrayBuffer> {
  if (id < table.length) return table
  let n = Math.max(1, table.length) * 2
  while (n <= id) n *= 2
  const grown = new Uint8Array(n)
  grown.set(table)
  return grown
}

/** How many word ids exist: every id is below this. */
export function wordIdCount(): number {
  return words.length
}

/**
 * Cap the table below its default bound (tests use it to check that
 * analyzers give the same answers for words without an id).
 *
 * @param max Distinct words held at most from now on; words already held keep their ids.
 */
export function limitWordIds(max: number): void {
  limit = Math.min(max, MAX_WORD_IDS)
}
