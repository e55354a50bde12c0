/**
 * Text fingerprints for the near-duplicate index, made once per review in the
 * per-review stage (a worker) and sent to the cross-review pass as a small
 * `Uint32Array`.
 *
 * A signature holds the number of distinct word 3-grams ("shingles") of the
 * body (token keys: lower-cased, accent-folded, punctuation dropped) and two
 * sketches of them, made with two hash mixes per distinct shingle:
 *
 * - band part: one-permutation MinHash (OPH; Li, Owen & Zhang, NIPS 2012) over
 *   `BAND_VALUES` bins: each shingle falls in one bin, and a bin keeps a 16-bit
 *   fingerprint of its lowest-ranked shingle. A bin no shingle fell in (short
 *   texts) gets a MinHash of its own over all the shingles: densification by
 *   copying another bin (Shrivastava, ICML 2017) makes the bands of a short
 *   text rise and fall together: 10-word copies with one word changed became
 *   candidates 92.5% of the time with copies, 95.7% with their own MinHash
 *   (test/authenticity-data.test.ts). Two 16-bit values make one 32-bit
 *   word, one LSH band (r = 2): two texts become candidates when any band
 *   matches, P ≈ 1 − (1 − J²)^BANDS.
 * - sketch part: an odd sketch (Mitzenmacher, Pagh & Pham, "Efficient
 *   estimation for high similarities using odd sketches", WWW 2014) of
 *   `SKETCH_BITS` bits: each shingle flips one bit. The XOR of two sketches is
 *   the odd sketch of the symmetric difference, so its popcount counts
 *   |A Δ B| = |A| + |B| − 2|A ∩ B| directly: near duplicates differ in few
 *   shingles, which the sketch counts almost exactly (two of them must meet on
 *   one bit to hide), where b-bit MinHash values only sample the Jaccard. It
 *   saturates when texts differ in more than about 1,000 shingles; the band
 *   values carry the estimate there.
 *
 * Cost (benchmarks/authenticity/fingerprint-speed.ts): about 2.3 µs for a
 * sentiment dev review (40 shingles; word hashes come from the tokenizer's
 * word table); the 640-permutation b-bit MinHash it replaced made 332 mixes
 * per shingle, 40 µs.
 *
 * Layout (`SIGNATURE_WORDS` words, as sent from a worker): [shingle count,
 * BANDS band words, SKETCH_BITS / 32 sketch words]; the cross-review state
 * keeps the count in a 16-bit column and the other `STORED_WORDS` words (128
 * bytes).
 *
 * Measured (benchmarks/authenticity/pairs.ts): with the set sizes, the
 * maximum-likelihood Jaccard among the feasible values I / (a + b − I) gives
 * pair precision/recall 0.992/1.000 at Jaccard 0.8, against 0.986/0.986 for
 * the b-bit MinHash of the same size.
 */
import type { Doc } from '../text/index.js'
import { hashOf, makeDoc } from '../text/index.js'

/** Word n-gram size of the shingles (the "word-3-gram Jaccard"). */
export const SHINGLE_SIZE = 3

/** Texts with fewer content words than this get no signature (only exact copies are compared). */
export const FINGERPRINT_MIN_WORDS = 5

/**
 * Only the first this many words are shingled: two texts that agree on their
 * first 5,000 words are copies whatever follows (the exact hash still covers
 * the whole text), and the odd sketch saturates on longer differences.
 */
export const FINGERPRINT_MAX_WORDS = 5000

/** One-permutation MinHash bins with 16-bit values, two per LSH band (so 12 bands). */
export const BAND_VALUES = 24

/** Number of LSH bands (one 32-bit word each). */
export const BANDS = BAND_VALUES / 2

/** Bits of the odd sketch (80 bytes). */
export const SKETCH_BITS = 640

/** Words of a signature as `fingerprint` returns it: shingle count, bands, then the sketch. */
export const SIGNATURE_WORDS = 1 + BANDS + SKETCH_BITS / 32

/** Words of a stored signature (without the count): bands, then the sketch. */
export const STORED_WORDS = BANDS + SKETCH_BITS / 32

const SKETCH_OFFSET = BANDS

/** Seed of the shingle mix (any fixed value; changing it changes every signature). */
const SEED = 0x5eed1234

// Scratch, reused across calls (one set per worker thread).
let hashes = new Int32Array(256)
/** Open-addressing set of the shingles seen in this call: a slot is live when its stamp is `generation`. */
let setKeys = new Int32Array(1024)
let setStamps = new Int32Array(1024)
let generation = 0
const binRank = new Int32Array(BAND_VALUES)
const binValue = new Int32Array(BAND_VALUES)
/** The mixed hash of each distinct shingle of this call (for the empty bins). */
let distinctMixed = new Int32Array(256)

/** Seed of the MinHash of band b's empty bins (splitmix32 of a fixed seed). */
const EMPTY_BIN_SEEDS = (() => {
  const out = new Int32Array(BANDS)
  let x = 0x2545f491
  for (let b = 0; b < BANDS; b++) {
    x = (x + 0x9e3779b9) | 0
    let z = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    out[b] = z ^ (z >>> 16)
  }
  return out
})()

/**
 * FNV-1a hash of each word/number token key of the body, in order
 * (`fnv1a(token.key)`); returns the count. A word with an id has its hash in
 * the word table already (`hashOf`); others (numbers, words past the table's
 * bound) are hashed here.
 */
function bodyHashes(doc: Doc): number {
  const tokens = doc.body.tokens
  let n = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const kind = t.kind
    if (kind !== 'word' && kind !== 'number') continue
    if (n === hashes.length) {
      const grown = new Int32Array(n * 2)
      grown.set(hashes)
      hashes = grown
    }
    const id = t.id
    if (id >= 0) {
      hashes[n++] = hashOf(id)
      continue
    }
    const key = t.key
    let h = 0x811c9dc5 | 0
    for (let c = 0; c < key.length; c++) h = Math.imul(h ^ key.charCodeAt(c), 0x01000193)
    hashes[n++] = h
  }
  return n
}

/** Hash of the word 3-gram starting at token `i` of the first `n` token hashes (the whole text when shorter). */
function shingleAt(i: number, n: number): number {
  let h = 0x9e3779b9 | 0
  const stop = Math.min(n, i + SHINGLE_SIZE)
  for (let k = i; k < stop; k++) h = Math.imul(h ^ hashes[k]!, 0x85ebca6b) ^ (h >>> 13)
  return h
}

/** Make the shingle set empty, sized for `count` shingles (load ≤ 1/2); returns the shift of the slot hash. */
function resetSet(count: number): number {
  let bits = 6
  while (1 << bits < 2 * count) bits++
  if (setKeys.length < 1 << bits) {
    setKeys = new Int32Array(1 << bits)
    setStamps = new Int32Array(1 << bits)
    generation = 0
  }
  if (++generation === 0x7fffffff) {
    setStamps.fill(0)
    generation = 1
  }
  return 32 - bits
}

/** Add shingle `s` to the set; returns false when it was there already. */
function addShingle(s: number, shift: number): boolean {
  const mask = (1 << (32 - shift)) - 1
  let slot = Math.imul(s, 0x9e3779b1) >>> shift
  while (setStamps[slot] === generation) {
    if (setKeys[slot] === s) return false
    slot = (slot + 1) & mask
  }
  setStamps[slot] = generation
  setKeys[slot] = s
  return true
}

/** The distinct word-3-gram shingle hashes of a review body, unsigned and sorted (for benchmarks and tests). */
export function shinglesOf(doc: Doc): Uint32Array {
  const n = bodyHashes(doc)
  if (n === 0) return new Uint32Array(0)
  const count = Math.max(1, n - SHINGLE_SIZE + 1)
  const shift = resetSet(count)
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const s = shingleAt(i, n)
    if (addShingle(s, shift)) out.push(s >>> 0)
  }
  return Uint32Array.from(out).sort()
}

/**
 * The signature of the first `n` token hashes (see the file comment for the layout).
 * Per distinct shingle: murmur3's finalizer gives the band bin (high 16 bits)
 * and the rank within it (all 32 bits); a second mix of that gives the bin's
 * 16-bit value and the sketch bit.
 */
function signatureOf(n: number): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_WORDS)
  const count = Math.max(1, n - SHINGLE_SIZE + 1)
  const shift = resetSet(count)
  binRank.fill(0x7fffffff)
  binValue.fill(-1)
  let distinct = 0
  for (let i = 0; i < count; i++) {
    const s = shingleAt(i, n)
    if (!addShingle(s, shift)) continue
    let g = s ^ SEED
    g = Math.imul(g ^ (g >>> 16), 0x85ebca6b)
    g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35)
    g ^= g >>> 16
    if (distinct === distinctMixed.length) {
      const grown = new Int32Array(distinct * 2)
      grown.set(distinctMixed)
      distinctMixed = grown
    }
    distinctMixed[distinct++] = g
    let v = Math.imul(g ^ (g >>> 15), 0x2c1b3c6d)
    v ^= v >>> 12
    v = Math.imul(v, 0x297a2d39)
    v ^= v >>> 15
    // Odd sketch: flip one of SKETCH_BITS bits.
    const cell = ((v >>> 16) * SKETCH_BITS) >>> 16
    sig[1 + SKETCH_OFFSET + (cell >>> 5)]! ^= 1 << (cell & 31)
    // OPH: the bin keeps the value of its lowest-ranked shingle (rank: g as unsigned, as a signed compare).
    const bin = ((g >>> 16) * BAND_VALUES) >>> 16
    const rank = g ^ 0x80000000
    if (rank <= binRank[bin]!) {
      binRank[bin] = rank
      binValue[bin] = v & 0xffff
    }
  }
  sig[0] = distinct
  // An empty bin gets a MinHash of its own over all the shingles (bins 2b and 2b + 1 take the two
  // 16-bit halves of one mix), so its value is a fresh sample of the set, not a copy of another bin.
  for (let b = 0; b < BANDS; b++) {
    let hi = binValue[2 * b]!
    let lo = binValue[2 * b + 1]!
    if (hi < 0 || lo < 0) {
      const seed = EMPTY_BIN_SEEDS[b]!
      let minHi = 0xffff
      let minLo = 0xffff
      for (let k = 0; k < distinct; k++) {
        let z = Math.imul(distinctMixed[k]! ^ seed, 0x85ebca6b)
        z ^= z >>> 16
        const zh = z >>> 16
        const zl = z & 0xffff
        if (zh < minHi) minHi = zh
        if (zl < minLo) minLo = zl
      }
      if (hi < 0) hi = minHi
      if (lo < 0) lo = minLo
    }
    sig[1 + b] = ((hi << 16) | lo) >>> 0
  }
  return sig
}

/**
 * The review's signature (`SIGNATURE_WORDS` words), or null when the body has
 * fewer than `FINGERPRINT_MIN_WORDS` content words.
 *
 * @param doc The review's tokens.
 * @returns A new `Uint32Array` (transferable), or null.
 */
export function fingerprint(doc: Doc): Uint32Array | null {
  const n = bodyHashes(doc)
  if (n < FINGERPRINT_MIN_WORDS) return null
  return signatureOf(Math.min(n, FINGERPRINT_MAX_WORDS))
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

/**
 * Texts whose fingerprints go into `fingerprintDigest`: accents, capitals, an
 * elongated word, numbers and a text short enough to leave bins empty, so that
 * a change to the tokenizer's keys or to a hash mix shows in the digest.
 */
const DIGEST_TEXTS = [
  'La cafetera llegó rota, pero el SERVICIO fue rapidísimo: en 2 días me devolvieron 49,90 €. ¡Buenísimooo!',
  'Perché così tanta attesa? Il frullatore è ottimo, però il coperchio non chiude più dopo 3 settimane.',
  'Great blender, crushes ice in seconds',
]

let digest: number | undefined

/**
 * A 32-bit digest of what makes a stored fingerprint: the shingle, band and
 * sketch sizes, the seeds, and the signatures and exact hashes of a few fixed
 * texts. Two recensio builds whose digests differ make different fingerprints
 * of the same text, so one's stored fingerprints cannot be matched by the
 * other (`NearDuplicateIndex.fromBytes` refuses them).
 *
 * @returns An unsigned 32-bit number, the same in every process of one build.
 */
export function fingerprintDigest(): number {
  if (digest !== undefined) return digest
  const words: number[] = [SHINGLE_SIZE, FINGERPRINT_MIN_WORDS, FINGERPRINT_MAX_WORDS, BAND_VALUES, SKETCH_BITS, STORED_WORDS, SEED, ...EMPTY_BIN_SEEDS]
  for (const text of DIGEST_TEXTS) {
    const doc = makeDoc(text)
    const exact = exactHash(doc)
    words.push(Math.floor(exact / 0x100000000), exact % 0x100000000, ...(fingerprint(doc) ?? []))
  }
  let h = 0x811c9dc5
  for (const w of words) {
    h = Math.imul(h ^ w, 0x01000193)
    h ^= h >>> 15
  }
  digest = h >>> 0
  return digest
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

/** Chance that the 16-bit values of two bins are equal although their minima differ. */
const EPS_16 = 1 / 65536

const LN_R1 = Math.log(1 - 2 / SKETCH_BITS)
const LN_R2 = Math.log(1 - 4 / SKETCH_BITS)
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI)

/** Smallest dispersion of the lost-pair count (where the sketch saturates). */
const MIN_DISPERSION = 0.02

/** The sketch is read as saturated (no information) from this share of odd bits. */
const SATURATED = 0.49

/** ln Γ(x + 1) for x ≥ 0 (Stirling's series after shifting x above 8; error below 1e-10). */
function lnFactorial(x: number): number {
  let shift = 0
  let y = x + 1
  while (y < 9) {
    shift += Math.log(y)
    y++
  }
  const inv = 1 / y
  return (y - 0.5) * Math.log(y) - y + HALF_LN_2PI + inv / 12 - (inv * inv * inv) / 360 - shift
}

/**
 * Log-likelihood of `odd` odd bits in the XOR of two sketches when the sets
 * differ in `d` shingles. Each pair of differing shingles that meets on one
 * bit hides both, so `d − odd` is twice the number of hidden pairs; that count
 * is Poisson while pairs meet rarely and less dispersed as the sketch fills, so
 * it is scored as a Poisson with its exact variance (variance / mean = φ):
 * the Poisson log-probability for φ = 1, a Gaussian of that variance for many pairs.
 */
function sketchLogLikelihood(odd: number, d: number): number {
  if (d < odd) return Number.NEGATIVE_INFINITY
  const c = (d - odd) / 2
  const r1 = Math.exp(d * LN_R1)
  const r2 = Math.exp(d * LN_R2)
  const mean = (SKETCH_BITS * (1 - r1)) / 2
  const mu = (d - mean) / 2
  if (mu < 1e-9) return c < 0.5 ? 0 : Number.NEGATIVE_INFINITY
  const variance = (SKETCH_BITS * (1 - r1 * r1)) / 4 + (SKETCH_BITS * (SKETCH_BITS - 1) * (r2 - r1 * r1)) / 4
  const phi = Math.min(1, Math.max(MIN_DISPERSION, variance / (4 * mu)))
  const poisson = c * Math.log(mu) - mu - lnFactorial(c)
  if (phi === 1) return poisson
  const halfLnMu = HALF_LN_2PI + 0.5 * Math.log(mu)
  return (poisson + halfLnMu) / phi - halfLnMu - 0.5 * Math.log(phi)
}

/** Log-likelihood of `equal` equal band values out of BAND_VALUES at Jaccard `j`. */
function bandLogLikelihood(equal: number, j: number): number {
  const p = j + (1 - j) * EPS_16
  return equal * Math.log(p) + (BAND_VALUES - equal === 0 ? 0 : (BAND_VALUES - equal) * Math.log(1 - p + 1e-12))
}

/** Intersections scanned one by one; wider ranges are scanned coarse, then fine. */
const FULL_SCAN = 48

/**
 * Estimated word-3-gram Jaccard similarity of two stored signatures (`a` at
 * word offset `ia` with `na` shingles, `b` at `ib` with `nb`): the
 * maximum-likelihood value, given the band values and the sketch, among the
 * Jaccard values the counts allow (I / (na + nb − I) for an integer
 * intersection I).
 *
 * With a `floor`, a pair whose likely intersections cannot reach it is
 * answered at once with the highest similarity they allow (below the floor):
 * the estimate is one of them, so a caller that only asks "at least the
 * floor?" gets the same answer, without the likelihood search.
 *
 * @returns A value in [0, 1].
 */
export function estimateSimilarity(a: Uint32Array, ia: number, na: number, b: Uint32Array, ib: number, nb: number, floor = 0): number {
  let equal = 0
  for (let w = 0; w < SKETCH_OFFSET; w++) {
    const x = a[ia + w]!
    const y = b[ib + w]!
    if (x >>> 16 === y >>> 16) equal++
    if ((x & 0xffff) === (y & 0xffff)) equal++
  }
  let odd = 0
  for (let w = SKETCH_OFFSET; w < STORED_WORDS; w++) odd += popcount((a[ia + w]! ^ b[ib + w]!) >>> 0)
  // Without the counts the sketch cannot be read as a Jaccard: the band estimate.
  if (na === 0 || nb === 0) return equal / BAND_VALUES
  const saturated = odd >= SATURATED * SKETCH_BITS
  const sum = na + nb
  const iMax = Math.min(na, nb, Math.floor((sum - odd) / 2))
  if (iMax <= 0) return 0
  let lo: number
  let hi: number
  if (saturated) {
    const jb = equal / BAND_VALUES
    const jLo = Math.max(0, jb - 0.3)
    const jHi = Math.min(1, jb + 0.3)
    lo = Math.floor((jLo * sum) / (1 + jLo))
    hi = Math.ceil((jHi * sum) / (1 + jHi))
  } else {
    // Window: the moment estimate of the difference (odd bits = K/2 · (1 − (1 − 2/K)^d))
    // ± 4 standard deviations, plus a margin for tiny differences.
    const dHat = Math.log(1 - (2 * odd) / SKETCH_BITS) / LN_R1
    const r1 = Math.exp(dHat * LN_R1)
    const r2 = Math.exp(dHat * LN_R2)
    const variance = (SKETCH_BITS * (1 - r1 * r1)) / 4 + (SKETCH_BITS * (SKETCH_BITS - 1) * (r2 - r1 * r1)) / 4
    const slope = (-SKETCH_BITS / 2) * LN_R1 * r1
    const sdI = Math.sqrt(Math.max(0, variance)) / slope / 2
    const iHat = (sum - dHat) / 2
    lo = Math.floor(iHat - 4 * sdI - 3)
    hi = Math.ceil(iHat + 4 * sdI + 3)
  }
  lo = Math.max(0, lo)
  hi = Math.min(iMax, hi)
  // No intersection is likely (the window sits below zero): the sets share nothing.
  if (hi <= 0) return 0
  if (lo > hi) lo = hi
  // The estimate is some I in [lo, hi], and I / (sum − I) grows with I.
  const ceiling = hi / (sum - hi)
  if (ceiling < floor) return ceiling
  let bestI = lo
  let best = Number.NEGATIVE_INFINITY
  let step = hi - lo + 1 > FULL_SCAN ? Math.ceil((hi - lo + 1) / (FULL_SCAN / 2)) : 1
  for (;;) {
    for (let i = lo; i <= hi; i += step) {
      const s = sketchLogLikelihood(odd, sum - 2 * i) + bandLogLikelihood(equal, i / (sum - i))
      if (s > best) {
        best = s
        bestI = i
      }
    }
    if (step === 1) break
    lo = Math.max(lo, bestI - step)
    hi = Math.min(hi, bestI + step)
    step = hi - lo + 1 > FULL_SCAN ? Math.ceil((hi - lo + 1) / (FULL_SCAN / 2)) : 1
  }
  return bestI / (sum - bestI)
}
