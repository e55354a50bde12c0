/**
 * Text fingerprints for the near-duplicate index, made once per review in the
 * per-review stage (a worker) and sent to the cross-review pass as a small
 * `Uint32Array`.
 *
 * A signature holds the number of distinct word 3-grams of the body (token
 * keys: lower-cased, accent-folded, punctuation dropped) and two MinHash parts
 * over them:
 *
 * - band part: `BAND_VALUES` 16-bit MinHash values, two per 32-bit word. Each
 *   word is one LSH band (r = 2), so two texts become candidates when any band
 *   matches: P = 1 − (1 − J²)^BANDS.
 * - bit part: `BIT_VALUES` 1-bit (b-bit, b = 1) MinHash values, 32 per word, for
 *   the similarity estimate. Per byte, 1-bit values estimate Jaccard with the
 *   lowest variance near J = 0.8 (Li & König, "b-Bit Minwise Hashing", WWW 2010).
 *
 * Each 32-bit mix of a shingle gives two 16-bit permutations (its halves), so
 * a signature costs (BAND_VALUES + BIT_VALUES) / 2 mixes per shingle.
 *
 * Layout (`SIGNATURE_WORDS` words, as sent from a worker): [shingle count,
 * BANDS band words, BIT_VALUES / 32 bit words]; the cross-review state keeps
 * the count in a 16-bit column and the other `STORED_WORDS` words (128 bytes).
 *
 * Measured (benchmarks/authenticity/signature-variants.ts and pairs.ts): with
 * the set sizes, the maximum-likelihood estimate snapped to a feasible Jaccard
 * value (I / (a + b − I)) halves the errors at the 0.8 boundary against the
 * plain estimate. 12 bands + 640 bits (128 bytes) give pair precision/recall
 * 0.985/0.986 at Jaccard 0.8; 16 bands + 768 bits (160 bytes) 0.989/0.988,
 * for 32 more bytes per review in the 1M-row memory budget.
 */
import type { Doc } from '../text/index.js'
import { fnv1a } from '../text/index.js'

/** Word n-gram size of the shingles (the "word-3-gram Jaccard"). */
export const SHINGLE_SIZE = 3

/** Texts with fewer content words than this get no signature (only exact copies are compared). */
export const FINGERPRINT_MIN_WORDS = 5

/**
 * Only the first this many words are shingled: a signature costs about 1 µs
 * per shingle, and two texts that agree on their first 5,000 words are copies
 * whatever follows (the exact hash still covers the whole text).
 */
export const FINGERPRINT_MAX_WORDS = 5000

/** 16-bit MinHash values used as LSH bands, two per band (so 12 bands). */
export const BAND_VALUES = 24

/** 1-bit MinHash values used to estimate similarity (80 bytes). */
export const BIT_VALUES = 640

/** Number of LSH bands (one 32-bit word each). */
export const BANDS = BAND_VALUES / 2

/** Words of a signature as `fingerprint` returns it: shingle count, bands, then the packed bits. */
export const SIGNATURE_WORDS = 1 + BANDS + BIT_VALUES / 32

/** Words of a stored signature (without the count): bands, then bits. */
export const STORED_WORDS = BANDS + BIT_VALUES / 32

const BIT_OFFSET = BANDS

const MIXES = (BAND_VALUES + BIT_VALUES) / 2

/** Odd multiplier of the permutation mix (murmur3's first fmix32 constant). */
const MIX = 0x85ebca6b | 0

/** Per-permutation seeds from splitmix32 with a fixed seed, built once. */
const SEEDS = (() => {
  const out = new Uint32Array(MIXES)
  let x = 0x5eed1234
  for (let i = 0; i < MIXES; i++) {
    x = (x + 0x9e3779b9) | 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    out[i] = (z ^ (z >>> 16)) >>> 0
  }
  return out
})()

// Scratch buffers, reused across calls (one per worker thread).
const minHi = new Uint32Array(MIXES)
const minLo = new Uint32Array(MIXES)
let hashes = new Uint32Array(256)

/** Hash of each word/number token key of the body, in order; returns the count. */
function bodyHashes(doc: Doc): number {
  const tokens = doc.body.tokens
  let n = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind !== 'word' && t.kind !== 'number') continue
    if (n === hashes.length) {
      const grown = new Uint32Array(n * 2)
      grown.set(hashes)
      hashes = grown
    }
    hashes[n++] = fnv1a(t.key)
  }
  return n
}

/** Distinct word 3-gram hashes of the first `n` token hashes. */
function shingleSet(n: number): Uint32Array {
  const count = Math.max(1, n - SHINGLE_SIZE + 1)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    let h = 0x9e3779b9
    const stop = Math.min(n, i + SHINGLE_SIZE)
    for (let k = i; k < stop; k++) h = Math.imul(h ^ hashes[k]!, 0x85ebca6b) ^ (h >>> 13)
    out[i] = h >>> 0
  }
  out.sort()
  let w = 0
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!
  return out.subarray(0, w)
}

/** The distinct word-3-gram shingle hashes of a review body (for benchmarks and tests). */
export function shinglesOf(doc: Doc): Uint32Array {
  const n = bodyHashes(doc)
  return n === 0 ? new Uint32Array(0) : shingleSet(n).slice()
}

/** MinHash signature of a shingle set (see the file comment for the layout). */
export function signatureOf(shingles: Uint32Array): Uint32Array {
  const n = shingles.length
  // Int32 views keep the hot loop in small-integer arithmetic (Uint32 values above 2^31 are doubles).
  const xs = new Int32Array(shingles.buffer, shingles.byteOffset, n)
  // Permutation-major, four permutations per pass: the running minima stay in
  // locals while the shingles stream by (about 2x faster than one per pass).
  // Mix: one multiply and a xor-shift of the shingle xor the seed; its two
  // 16-bit halves are two permutations.
  for (let k = 0; k < MIXES; k += 4) {
    const s0 = SEEDS[k]! | 0
    const s1 = SEEDS[k + 1]! | 0
    const s2 = SEEDS[k + 2]! | 0
    const s3 = SEEDS[k + 3]! | 0
    let h0 = 0xffff, l0 = 0xffff, h1 = 0xffff, l1 = 0xffff // prettier-ignore
    let h2 = 0xffff, l2 = 0xffff, h3 = 0xffff, l3 = 0xffff // prettier-ignore
    for (let s = 0; s < n; s++) {
      const x = xs[s]!
      let z = Math.imul(x ^ s0, MIX)
      z ^= z >>> 16
      let h = z >>> 16
      let l = z & 0xffff
      if (h < h0) h0 = h
      if (l < l0) l0 = l
      z = Math.imul(x ^ s1, MIX)
      z ^= z >>> 16
      h = z >>> 16
      l = z & 0xffff
      if (h < h1) h1 = h
      if (l < l1) l1 = l
      z = Math.imul(x ^ s2, MIX)
      z ^= z >>> 16
      h = z >>> 16
      l = z & 0xffff
      if (h < h2) h2 = h
      if (l < l2) l2 = l
      z = Math.imul(x ^ s3, MIX)
      z ^= z >>> 16
      h = z >>> 16
      l = z & 0xffff
      if (h < h3) h3 = h
      if (l < l3) l3 = l
    }
    minHi[k] = h0
    minLo[k] = l0
    minHi[k + 1] = h1
    minLo[k + 1] = l1
    minHi[k + 2] = h2
    minLo[k + 2] = l2
    minHi[k + 3] = h3
    minLo[k + 3] = l3
  }
  const sig = new Uint32Array(SIGNATURE_WORDS)
  sig[0] = shingles.length
  for (let b = 0; b < BANDS; b++) sig[1 + b] = ((minHi[b]! << 16) | minLo[b]!) >>> 0
  for (let j = 0; j < BIT_VALUES; j++) {
    const k = BANDS + (j >>> 1)
    const bit = (j & 1) === 0 ? minHi[k]! & 1 : minLo[k]! & 1
    if (bit !== 0) sig[1 + BIT_OFFSET + (j >>> 5)]! |= 1 << (j & 31)
  }
  return sig
}

/**
 * The review's MinHash signature (`SIGNATURE_WORDS` words), or null when the
 * body has fewer than `FINGERPRINT_MIN_WORDS` content words.
 *
 * @param doc The review's tokens.
 * @returns A new `Uint32Array` (transferable), or null.
 */
export function fingerprint(doc: Doc): Uint32Array | null {
  const n = bodyHashes(doc)
  if (n < FINGERPRINT_MIN_WORDS) return null
  return signatureOf(shingleSet(Math.min(n, FINGERPRINT_MAX_WORDS)))
}

/**
 * 53-bit hash of the normalized body (token keys joined, punctuation dropped),
 * for exact copies and cross-listings. 53 bits keep accidental collisions
 * negligible at 10M rows (a 32-bit hash would give about a hundred per 1M).
 *
 * @returns A non-negative safe integer.
 */
export function exactHash(doc: Doc): number {
  let h1 = 0x811c9dc5
  let h2 = 0x2545f491
  for (const t of doc.body.tokens) {
    if (t.kind === 'punct') continue
    const key = t.key
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193)
      h2 = Math.imul(h2 ^ c, 0x5bd1e995)
      h2 ^= h2 >>> 15
    }
    h1 = Math.imul(h1 ^ 32, 0x01000193)
    h2 = Math.imul(h2 ^ 32, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff)
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

// Inverse-variance weights of the two estimates at J = 0.8, where the
// duplicate decision is tightest: Var(1-bit) = (1 − J²)/K, Var(16-bit) = J(1 − J)/K.
const W_BITS = BIT_VALUES / (1 - 0.8 * 0.8)
const W_BANDS = BAND_VALUES / (0.8 * 0.2)

/** Chance that two 16-bit minima are equal although their shingles differ. */
const EPS_16 = 0.002

/** Half-width of the Jaccard range searched around the plain estimate by the snapped estimate. */
const SNAP_RANGE = 0.2

/**
 * Estimated word-3-gram Jaccard similarity of two stored signatures (`a` at
 * word offset `ia` with `na` shingles, `b` at `ib` with `nb`): the
 * maximum-likelihood value among the Jaccard values their counts allow.
 *
 * @returns A value in [0, 1].
 */
export function estimateSimilarity(a: Uint32Array, ia: number, na: number, b: Uint32Array, ib: number, nb: number): number {
  let equal16 = 0
  for (let w = 0; w < BIT_OFFSET; w++) {
    const x = a[ia + w]!
    const y = b[ib + w]!
    if (x >>> 16 === y >>> 16) equal16++
    if ((x & 0xffff) === (y & 0xffff)) equal16++
  }
  let differ = 0
  for (let w = BIT_OFFSET; w < STORED_WORDS; w++) differ += popcount((a[ia + w]! ^ b[ib + w]!) >>> 0)
  const equalBits = BIT_VALUES - differ
  // P(bit equal) = (1 + J) / 2 for 1-bit MinHash.
  const jBits = (2 * equalBits) / BIT_VALUES - 1
  const plain = Math.min(1, Math.max(0, (W_BITS * jBits + (W_BANDS * equal16) / BAND_VALUES) / (W_BITS + W_BANDS)))
  if (na === 0 || nb === 0) return plain
  // Feasible values: J = I / (na + nb − I) for an integer intersection I.
  const sum = na + nb
  const lo = Math.max(0, plain - SNAP_RANGE)
  const hi = Math.min(1, plain + SNAP_RANGE)
  const iFrom = Math.max(0, Math.floor((lo * sum) / (1 + lo)))
  const iTo = Math.min(na, nb, Math.ceil((hi * sum) / (1 + hi)))
  let best = Number.NEGATIVE_INFINITY
  let bestJ = plain
  for (let i = iFrom; i <= iTo; i++) {
    const j = i / (sum - i)
    const pBit = (1 + j) / 2
    const p16 = j + (1 - j) * EPS_16
    const ll =
      equalBits * Math.log(pBit) +
      (differ === 0 ? 0 : differ * Math.log(1 - pBit + 1e-12)) +
      equal16 * Math.log(p16) +
      (BAND_VALUES - equal16 === 0 ? 0 : (BAND_VALUES - equal16) * Math.log(1 - p16 + 1e-12))
    if (ll > best) {
      best = ll
      bestJ = j
    }
  }
  return bestJ
}
