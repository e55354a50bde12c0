/**
 * The language model, decoded once per process on first use: eld's byte 4-gram
 * scores for sixteen profiles, the word lists, and a bounded cache of per-word
 * score vectors (words repeat across reviews, so most tokens cost one lookup).
 */
import { NO_WORD_ID } from '../text/index.js'
import { LANGUAGES, NGRAM_COUNT, NGRAM_KEYS, NGRAM_SCORES, WORD_LISTS } from './generated/language-data.js'

/** Profiles scored per text: the three targets, then the "other" languages. */
export const PROFILE_COUNT = LANGUAGES.length
/** The first TARGET_COUNT profiles are es, it, en; the rest yield `und`. */
export const TARGET_COUNT = 3

// eld stores each n-gram score minus this floor to save space; it adds it back when scoring.
const ELD_BASE_SCORE = 53
// eld reads at most 70 bytes of a word; longer "words" are noise (URLs without dots, keyboard mashing).
const MAX_WORD_BYTES = 70
// Distinct words whose vectors are kept; past this, vectors are computed and not kept.
const WORD_CACHE_LIMIT = 1 << 16

export interface LanguageModel {
  /** The n-gram keys, comma-separated, in row order. */
  keys: string
  /** Row → offset of its key in `keys` (row NGRAM_COUNT: one past the last key's comma). */
  keyStart: Int32Array
  /** Open addressing by the key's hash: row + 1 per slot, 0 when empty. */
  table: Int32Array
  /** The packed scores: per row a 16-bit profile mask (little-endian), then one byte per profile it has. */
  packed: Uint8Array
  /** Row → offset in `packed` of its first score (its mask is the two bytes before). */
  scoreAt: Int32Array
  /** Word (written or accent-folded) → bit mask of the profiles whose list has it. */
  words: Map<string, number>
}

let model: LanguageModel | null = null

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function decodeBase64(s: string): Uint8Array {
  const value = new Uint8Array(128)
  for (let i = 0; i < B64.length; i++) value[B64.charCodeAt(i)] = i
  let end = s.length
  while (end > 0 && s.charCodeAt(end - 1) === 61) end-- // '='
  const out = new Uint8Array(Math.floor((end * 3) / 4))
  let o = 0
  for (let i = 0; i < end; i += 4) {
    const n =
      (value[s.charCodeAt(i)]! << 18) |
      (value[s.charCodeAt(i + 1)]! << 12) |
      ((i + 2 < end ? value[s.charCodeAt(i + 2)]! : 0) << 6) |
      (i + 3 < end ? value[s.charCodeAt(i + 3)]! : 0)
    out[o++] = n >> 16
    if (o < out.length) out[o++] = (n >> 8) & 0xff
    if (o < out.length) out[o++] = n & 0xff
  }
  return out
}

const COMMA = 0x2c
const SPACE = 0x20
const KEY_HASH_SEED = 0x811c9dc5 | 0
const KEY_HASH_PRIME = 0x01000193

function slotOfHash(hash: number, mask: number): number {
  return (Math.imul(hash, 0x9e3779b1) >>> 12) & mask
}

/**
 * The decoded model, built on first call and shared by every later call.
 * The keys stay one string and the scores stay packed: the n-gram table is
 * an Int32Array over them, so loading allocates no string or Map per n-gram.
 */
export function loadModel(): LanguageModel {
  if (model !== null) return model
  const keys = NGRAM_KEYS
  const keyStart = new Int32Array(NGRAM_COUNT + 1)
  let size = 1
  while (size < NGRAM_COUNT * 2) size <<= 1
  const table = new Int32Array(size)
  const mask = size - 1
  let row = 0
  let hash = KEY_HASH_SEED
  for (let i = 0; i <= keys.length; i++) {
    const c = i < keys.length ? keys.charCodeAt(i) : COMMA
    if (c !== COMMA) {
      hash = Math.imul(hash ^ c, KEY_HASH_PRIME)
      continue
    }
    if (row === NGRAM_COUNT) throw new Error(`language data: more than ${NGRAM_COUNT} keys`)
    let s = slotOfHash(hash, mask)
    while (table[s] !== 0) s = (s + 1) & mask
    table[s] = row + 1
    keyStart[++row] = i + 1
    hash = KEY_HASH_SEED
  }
  if (row !== NGRAM_COUNT) throw new Error(`language data: ${row} keys, expected ${NGRAM_COUNT}`)
  const packed = decodeBase64(NGRAM_SCORES)
  const scoreAt = new Int32Array(NGRAM_COUNT)
  let at = 0
  for (let r = 0; r < NGRAM_COUNT; r++) {
    let m = packed[at]! | (packed[at + 1]! << 8)
    at += 2
    scoreAt[r] = at
    while (m !== 0) {
      at += m & 1
      m >>>= 1
    }
  }
  const words = new Map<string, number>()
  LANGUAGES.forEach((code, p) => {
    for (const w of WORD_LISTS[code].split(' ')) if (w !== '') words.set(w, (words.get(w) ?? 0) | (1 << p))
  })
  model = { keys, keyStart, table, packed, scoreAt, words }
  return model
}

/**
 * The row of the n-gram made of `bytes[from, to)`, with a word edge (a space)
 * before and after as asked, or -1 when the model does not have it.
 */
function rowOf(m: LanguageModel, bytes: string, from: number, to: number, edgeBefore: boolean, edgeAfter: boolean): number {
  let hash = KEY_HASH_SEED
  if (edgeBefore) hash = Math.imul(hash ^ SPACE, KEY_HASH_PRIME)
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes.charCodeAt(i), KEY_HASH_PRIME)
  if (edgeAfter) hash = Math.imul(hash ^ SPACE, KEY_HASH_PRIME)
  const length = to - from + (edgeBefore ? 1 : 0) + (edgeAfter ? 1 : 0)
  const { table, keys, keyStart } = m
  const mask = table.length - 1
  for (let s = slotOfHash(hash, mask); ; s = (s + 1) & mask) {
    const held = table[s]!
    if (held === 0) return -1
    const start = keyStart[held - 1]!
    if (keyStart[held]! - 1 - start !== length) continue
    let k = start
    if (edgeBefore && keys.charCodeAt(k++) !== SPACE) continue
    let i = from
    while (i < to && keys.charCodeAt(k) === bytes.charCodeAt(i)) {
      k++
      i++
    }
    if (i < to || (edgeAfter && keys.charCodeAt(k) !== SPACE)) continue
    return held - 1
  }
}

/**
 * Per-word vectors: the sum of the word's n-gram scores per profile, plus
 * `bonus` for each profile whose word list has it. Slots are filled once and
 * read by every later text.
 */
export class WordVectors {
  readonly model: LanguageModel
  /** The word-list bonus folded into every vector. */
  readonly bonus: number
  /** Slot → PROFILE_COUNT scores (integers for an integer bonus, so Float32 is exact). */
  vectors = new Float32Array(1024 * PROFILE_COUNT)
  /** Slot → the last text that counted this word (each distinct word counts once per text). */
  stamps = new Uint32Array(1024)
  /** Word id (of `norm`) → slot + 1; 0 when the word has no slot yet. */
  private slotById = new Int32Array(1024)
  /** Slots of words the word table does not hold (see `text/vocabulary.ts`). */
  private readonly slots = new Map<string, number>()
  private size = 0
  /** Slot used for words that no longer fit the cache. */
  readonly spare: number
  /** Most slots kept (the spare one included). */
  private readonly limit: number
  /**
   * Words of the current text that went to the spare slot: each distinct one
   * counts once per text, as a word with a slot of its own does, so a text's
   * scores do not depend on which words the thread happened to cache first.
   */
  private readonly spareSeen = new Set<string>()
  private spareText = 0

  /** @param limit Most slots kept (tests lower it to reach the spare slot). */
  constructor(model: LanguageModel, bonus: number, limit = WORD_CACHE_LIMIT) {
    this.model = model
    this.bonus = bonus
    this.limit = limit
    this.spare = this.size++
  }

  /**
   * Whether a word that went to the spare slot is met for the first time in
   * text `text` (then it is marked as met).
   */
  firstUncached(norm: string, text: number): boolean {
    if (this.spareText !== text) {
      this.spareSeen.clear()
      this.spareText = text
    }
    if (this.spareSeen.has(norm)) return false
    this.spareSeen.add(norm)
    return true
  }

  /** Forget which words each text counted (before text numbers wrap around). */
  clearStamps(): void {
    this.stamps.fill(0)
    this.spareSeen.clear()
    this.spareText = 0
  }

  /**
   * The slot holding `norm`'s vector (`key` is its accent-folded form, used for
   * the word lists; `normId` is the word table's id of `norm`, or NO_WORD_ID).
   */
  slotOf(norm: string, key: string, normId: number): number {
    if (normId === NO_WORD_ID) return this.slotOfUnheld(norm, key)
    if (normId < this.slotById.length) {
      const known = this.slotById[normId]!
      if (known !== 0) return known - 1
    } else {
      const grown = new Int32Array(Math.max(normId + 1, this.slotById.length * 2))
      grown.set(this.slotById)
      this.slotById = grown
    }
    const slot = this.newSlot(norm, key)
    if (slot !== this.spare) this.slotById[normId] = slot + 1
    return slot
  }

  private slotOfUnheld(norm: string, key: string): number {
    const known = this.slots.get(norm)
    if (known !== undefined) return known
    const slot = this.newSlot(norm, key)
    if (slot !== this.spare) this.slots.set(norm, slot)
    return slot
  }

  /** A slot filled with the word's vector: its own while the cache has room, else the spare one. */
  private newSlot(norm: string, key: string): number {
    let slot = this.spare
    if (this.size < this.limit) {
      slot = this.size++
      if (slot >= this.stamps.length) this.grow()
    }
    this.fill(slot, norm, key)
    return slot
  }

  private grow(): void {
    const n = this.stamps.length * 2
    const vectors = new Float32Array(n * PROFILE_COUNT)
    vectors.set(this.vectors)
    this.vectors = vectors
    const stamps = new Uint32Array(n)
    stamps.set(this.stamps)
    this.stamps = stamps
  }

  private fill(slot: number, norm: string, key: string): void {
    const m = this.model
    const v = sums.fill(0)
    const bytes = wordBytes(norm)
    // eld's n-grams: 4 bytes with a stride of 3, the first with a leading word
    // edge, the last (the word's final 4 bytes) with a trailing one.
    const len = bytes.length > MAX_WORD_BYTES ? MAX_WORD_BYTES : bytes.length
    let j = 0
    for (; j + 4 < len; j += 3) addRow(m, v, rowOf(m, bytes, j, j + 4, j === 0, false))
    addRow(m, v, rowOf(m, bytes, len !== 3 && len > 4 ? len - 4 : 0, len, j === 0, true))
    const mask = m.words.get(norm) ?? m.words.get(key) ?? 0
    const base = slot * PROFILE_COUNT
    for (let p = 0; p < PROFILE_COUNT; p++) this.vectors[base + p] = v[p]! + ((mask >> p) & 1) * this.bonus
  }
}

/** A word's n-gram scores summed per profile while its vector is filled. */
const sums = new Float64Array(PROFILE_COUNT)

/** Add an n-gram's scores (row -1: none) to `v`. */
function addRow(m: LanguageModel, v: Float64Array, row: number): void {
  if (row === -1) return
  const packed = m.packed
  let at = m.scoreAt[row]!
  let has = packed[at - 2]! | (packed[at - 1]! << 8)
  for (let p = 0; has !== 0; p++, has >>>= 1) if ((has & 1) !== 0) v[p]! += packed[at++]! + ELD_BASE_SCORE
}

/** A word as the key alphabet: ASCII as is, each UTF-8 byte b ≥ 0x80 as U+0100 + b. */
function wordBytes(word: string): string {
  let i = 0
  for (; i < word.length; i++) if (word.charCodeAt(i) >= 0x80) break
  if (i === word.length) return word
  let out = word.slice(0, i)
  for (; i < word.length; i++) {
    let c = word.charCodeAt(i)
    if (c < 0x80) out += word[i]
    else if (c < 0x800) out += String.fromCharCode(0x1c0 | (c >> 6), 0x180 | (c & 0x3f))
    else if (c < 0xd800 || c >= 0xe000)
      out += String.fromCharCode(0x1e0 | (c >> 12), 0x180 | ((c >> 6) & 0x3f), 0x180 | (c & 0x3f))
    else {
      c = 0x10000 + (((c & 0x3ff) << 10) | (word.charCodeAt(++i) & 0x3ff))
      out += String.fromCharCode(
        0x1f0 | (c >> 18),
        0x180 | ((c >> 12) & 0x3f),
        0x180 | ((c >> 6) & 0x3f),
        0x180 | (c & 0x3f),
      )
    }
  }
  return out
}
