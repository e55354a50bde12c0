/** Small numeric helpers for the cross-review pass: sorting, union-find, tail tests. */

/** Rows that fit the packed (key · 2^21 + id) sort. */
const PACK_LIMIT = 1 << 21
/** Below this many ids the native sort of packed doubles beats two radix passes. */
const RADIX_FROM = 1 << 14
/** Bits per radix pass (two passes cover a 32-bit key). */
const RADIX_BITS = 16
const RADIX_MASK = (1 << RADIX_BITS) - 1

/**
 * Ids sorted by (32-bit key, id). Large inputs use a stable two-pass LSD
 * radix sort on the key (linear time, no comparator), which orders equal
 * keys by id when the ids come in ascending order, as the callers pass them;
 * other inputs are checked and take the comparison sort. Small inputs pack
 * key and id into a double for the native numeric sort.
 *
 * @param keys The key of each id (index = id).
 * @param ids The ids to sort (not modified).
 * @param scratch Buffers for the radix sort, for a caller that sorts the same ids again and again: the result is then a view of them, valid until the next call.
 * @returns The ids in order (a new array without `scratch`).
 */
export function sortByKey(keys: ArrayLike<number>, ids: Int32Array, scratch: RadixScratch | null = null): Int32Array {
  const n = ids.length
  // Set again by a radix sort that ends well.
  if (scratch !== null) scratch.sortedKeys = null
  if (n >= RADIX_FROM && ascending(ids)) return radixByKey(keys, ids, scratch ?? new RadixScratch(n))
  if (keys.length <= PACK_LIMIT) {
    const packed = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const id = ids[i]!
      packed[i] = (keys[id]! >>> 0) * PACK_LIMIT + id
    }
    packed.sort()
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) out[i] = packed[i]! % PACK_LIMIT
    return out
  }
  const out = ids.slice()
  out.sort((a, b) => (keys[a]! >>> 0) - (keys[b]! >>> 0) || a - b)
  return out
}

function ascending(ids: Int32Array): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) return false
  return true
}

/** The buffers of one radix sort of up to `size` ids. */
export class RadixScratch {
  readonly key: Uint32Array
  readonly midKey: Uint32Array
  readonly midIds: Int32Array
  readonly out: Int32Array
  readonly count = new Int32Array(RADIX_MASK + 2)
  /** After a radix sort: the keys in sorted order (unsigned), valid until the next sort; null after a sort that took another path. */
  sortedKeys: Uint32Array | null = null

  constructor(readonly size: number) {
    this.key = new Uint32Array(size)
    this.midKey = new Uint32Array(size)
    this.midIds = new Int32Array(size)
    this.out = new Int32Array(size)
  }
}

/** Stable LSD radix sort of ids by their 32-bit key: low half, then high half. */
function radixByKey(keys: ArrayLike<number>, ids: Int32Array, scratch: RadixScratch): Int32Array {
  const n = ids.length
  if (scratch.size < n) throw new RangeError(`sortByKey: scratch for ${scratch.size} ids, got ${n}`)
  const key = scratch.key.subarray(0, n)
  for (let i = 0; i < n; i++) key[i] = keys[ids[i]!]! >>> 0
  const midKey = scratch.midKey.subarray(0, n)
  const midIds = scratch.midIds.subarray(0, n)
  const out = scratch.out.subarray(0, n)
  radixPass(key, ids, midKey, midIds, 0, scratch.count)
  radixPass(midKey, midIds, key, out, RADIX_BITS, scratch.count)
  scratch.sortedKeys = key
  return out
}

/** One stable counting pass on the key bits from `shift`. */
function radixPass(srcKey: Uint32Array, srcIds: Int32Array, dstKey: Uint32Array, dstIds: Int32Array, shift: number, count: Int32Array): void {
  const n = srcIds.length
  count.fill(0)
  for (let i = 0; i < n; i++) count[((srcKey[i]! >>> shift) & RADIX_MASK) + 1]!++
  for (let b = 0; b <= RADIX_MASK; b++) count[b + 1]! += count[b]!
  for (let i = 0; i < n; i++) {
    const k = srcKey[i]!
    const at = count[(k >>> shift) & RADIX_MASK]!++
    dstIds[at] = srcIds[i]!
    dstKey[at] = k
  }
}

/**
 * Dense ids for numeric keys (NaN = none → -1), numbered in key order. Keys
 * that are all whole numbers in [0, 2^53) (the 53-bit hashes) are ordered by
 * a radix sort of the rows; others by sorting the distinct keys and a binary
 * search for each.
 *
 * @returns The id of each key and the number of distinct keys.
 */
export function denseIds(keys: Float64Array): { ids: Int32Array; count: number } {
  // Each key split for the two LSD passes: the low 32 bits, then the high 21.
  const rows: number[] = []
  const low = new Uint32Array(keys.length)
  const high = new Uint32Array(keys.length)
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    if (Number.isNaN(k)) continue
    if (!(Number.isInteger(k) && k >= 0 && k <= Number.MAX_SAFE_INTEGER)) return denseIdsBySearch(keys)
    rows.push(i)
    low[i] = k % 0x100000000
    high[i] = Math.floor(k / 0x100000000)
  }
  const n = rows.length
  const ids = new Int32Array(keys.length).fill(-1)
  if (n === 0) return { ids, count: 0 }
  const scratch = new RadixScratch(n)
  const byLow = radixByKey(low, Int32Array.from(rows), scratch).slice()
  const order = radixByKey(high, byLow, scratch)
  let count = 0
  let previous = NaN
  for (let i = 0; i < n; i++) {
    const r = order[i]!
    const k = keys[r]!
    if (k !== previous) {
      count++
      previous = k
    }
    ids[r] = count - 1
  }
  return { ids, count }
}

/** `denseIds` for any numeric keys: sort the distinct keys, then binary-search each. */
function denseIdsBySearch(keys: Float64Array): { ids: Int32Array; count: number } {
  const sorted = keys.filter((k) => !Number.isNaN(k)).sort()
  let count = 0
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[count - 1]) sorted[count++] = sorted[i]!
  const ids = new Int32Array(keys.length)
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    if (Number.isNaN(k)) {
      ids[i] = -1
      continue
    }
    let lo = 0
    let hi = count - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (sorted[mid]! < k) lo = mid + 1
      else hi = mid
    }
    ids[i] = lo
  }
  return { ids, count }
}

/** Union-find over 0..n-1 with path halving; the root is always the smallest member. */
export class UnionFind {
  readonly parent: Int32Array
  constructor(n: number) {
    this.parent = new Int32Array(n)
    for (let i = 0; i < n; i++) this.parent[i] = i
  }
  find(x: number): number {
    const p = this.parent
    while (p[x] !== x) {
      p[x] = p[p[x]!]!
      x = p[x]!
    }
    return x
  }
  union(a: number, b: number): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra < rb) this.parent[rb] = ra
    else if (rb < ra) this.parent[ra] = rb
  }
}

const LOG_FACT = new Float64Array(1025)
for (let i = 1; i <= 1024; i++) LOG_FACT[i] = LOG_FACT[i - 1]! + Math.log(i)

/** ln(k!) (table up to 1024, Stirling beyond). */
export function logFactorial(k: number): number {
  if (k <= 1024) return LOG_FACT[k]!
  return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k)
}

/**
 * Upper tail of the Poisson distribution, P(X ≥ c) for mean `mean`, accurate
 * far into the tail (summed from the first term, in log space).
 */
export function poissonTail(c: number, mean: number): number {
  if (c <= 0) return 1
  if (mean <= 0) return 0
  if (c <= mean) {
    // 1 − P(X ≤ c − 1)
    let term = Math.exp(-mean)
    let cdf = term
    for (let k = 1; k < c; k++) {
      term *= mean / k
      cdf += term
    }
    return Math.max(0, 1 - cdf)
  }
  let term = Math.exp(-mean + c * Math.log(mean) - logFactorial(c))
  let sum = term
  for (let k = c + 1; term > sum * 1e-12 && k < c + 10_000; k++) {
    term *= mean / k
    sum += term
  }
  return Math.min(1, sum)
}

/** 53-bit hash of a string (two FNV-1a variants), an exact-enough key for authors. */
export function hash53(s: string): number {
  let h1 = 0x811c9dc5
  let h2 = 0x2545f491
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff)
}

/** Round to 3 decimals (strengths and scores are reported this way). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}

/** Clamp to [0, 1]. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}

/**
 * Group rows 0..n-1 (visited in order) by a key: `hash(r)` must agree for rows
 * `same(a, b)` calls equal. `join(rep, r)` may refuse a row a group (it then
 * starts or joins another group with the same key). Uses one open-addressing
 * table of Int32 slots (2–4 per row) instead of a sort or a Map.
 *
 * @returns The first row (representative) of each row's group.
 */
export function groupBy(
  n: number,
  hash: (r: number) => number,
  same: (a: number, b: number) => boolean,
  join?: (rep: number, r: number) => boolean,
): Int32Array {
  let size = 16
  while (size < 2 * n) size *= 2
  const mask = size - 1
  const table = new Int32Array(size).fill(-1)
  const rep = new Int32Array(n)
  for (let r = 0; r < n; r++) {
    let i = hash(r) & mask
    for (;;) {
      const q = table[i]!
      if (q === -1) {
        table[i] = r
        rep[r] = r
        break
      }
      if (same(q, r) && (join === undefined || join(q, r))) {
        rep[r] = q
        break
      }
      i = (i + 1) & mask
    }
  }
  return rep
}

/** A 32-bit mix of a 53-bit integer (text hashes, author keys). */
export function mix53(x: number): number {
  let h = Math.imul((x % 0x100000000) ^ 0x9e3779b9, 0x85ebca6b)
  h = Math.imul(h ^ Math.floor(x / 0x100000000) ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
