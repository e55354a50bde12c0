import { describe, expect, it } from 'vitest'
import { RadixScratch, denseIds, sortByKey } from '../src/authenticity/stats.js'
import { prng as rng } from './batch-util.js'

/** The order sortByKey promises: by unsigned 32-bit key, then by id. */
function reference(keys: ArrayLike<number>, ids: Int32Array): number[] {
  return [...ids].sort((a, b) => (keys[a]! >>> 0) - (keys[b]! >>> 0) || a - b)
}

describe('sortByKey', () => {
  for (const [n, distinct] of [
    [10, 3],
    [5_000, 1 << 30],
    [40_000, 50],
    [40_000, 2 ** 32],
    [100_000, 70_000],
  ] as const) {
    it(`orders ${n} ascending ids by key, then id (${distinct} key values)`, () => {
      const next = rng(n + distinct)
      const keys = new Uint32Array(n * 2)
      for (let i = 0; i < keys.length; i++) keys[i] = Math.floor(next() * distinct) >>> 0
      // Every other id, so ids and keys' indexes differ.
      const ids = new Int32Array(n)
      for (let i = 0; i < n; i++) ids[i] = i * 2 + (next() < 0.5 ? 1 : 0)
      const before = ids.slice()
      expect([...sortByKey(keys, ids)]).toEqual(reference(keys, ids))
      expect(ids).toEqual(before)
    })
  }

  it('orders ids given out of order the same way', () => {
    const next = rng(7)
    const n = 30_000
    const keys = new Uint32Array(n)
    for (let i = 0; i < n; i++) keys[i] = Math.floor(next() * 1000)
    const ids = Int32Array.from({ length: n }, (_, i) => n - 1 - i)
    expect([...sortByKey(keys, ids)]).toEqual(reference(keys, ids))
  })

  it('treats keys as unsigned 32-bit values', () => {
    const n = 20_000
    const keys = new Int32Array(n)
    for (let i = 0; i < n; i++) keys[i] = i % 2 === 0 ? -1 - i : i
    const ids = Int32Array.from({ length: n }, (_, i) => i)
    const sorted = sortByKey(keys, ids)
    expect([...sorted]).toEqual(reference(keys, ids))
    expect(keys[sorted[n - 1]!]! >>> 0).toBe(0xffffffff)
  })

  it('sorts with one scratch again and again, and refuses one too small', () => {
    const next = rng(99)
    const n = 20_000
    const scratch = new RadixScratch(n)
    const ids = Int32Array.from({ length: n }, (_, i) => i)
    for (let round = 0; round < 3; round++) {
      const keys = Uint32Array.from({ length: n }, () => Math.floor(next() * 500))
      const sorted = sortByKey(keys, ids, scratch)
      expect([...sorted]).toEqual(reference(keys, ids))
      // The sorted keys come with it.
      expect([...scratch.sortedKeys!]).toEqual([...sorted].map((id) => keys[id]))
    }
    // A sort too small for the radix path leaves no sorted keys behind.
    sortByKey(Uint32Array.of(3, 1, 2), Int32Array.of(0, 1, 2), scratch)
    expect(scratch.sortedKeys).toBeNull()
    sortByKey(Uint32Array.from({ length: n }, (_, i) => n - i), ids, scratch)
    expect(() => sortByKey(new Uint32Array(n + 16384), Int32Array.from({ length: n + 16384 }, (_, i) => i), scratch)).toThrow(RangeError)
    // A sort that failed leaves no keys of the one before.
    expect(scratch.sortedKeys).toBeNull()
  })
})

describe('denseIds', () => {
  /** Ids numbered in key order, NaN → -1, by the plainest means. */
  function reference(keys: Float64Array): number[] {
    const distinct = [...new Set([...keys].filter((k) => !Number.isNaN(k)))].sort((a, b) => a - b)
    const id = new Map(distinct.map((k, i) => [k, i]))
    return [...keys].map((k) => (Number.isNaN(k) ? -1 : id.get(k)!))
  }

  for (const [name, make] of [
    ['53-bit hashes, with repeats and gaps', (r: () => number) => (r() < 0.1 ? NaN : Math.floor(r() * 2000) * 2 ** 40 + Math.floor(r() * 3))],
    ['keys that differ only above 32 bits', (r: () => number) => Math.floor(r() * 50) * 2 ** 32 + 7],
    ['keys that differ only below 32 bits', (r: () => number) => 2 ** 52 + Math.floor(r() * 50)],
    ['fractions and negative numbers', (r: () => number) => (r() < 0.5 ? -r() : Math.floor(r() * 30) / 4)],
  ] as const) {
    it(`numbers keys in key order: ${name}`, () => {
      const next = rng(name.length)
      const keys = Float64Array.from({ length: 30_000 }, () => make(next))
      const { ids, count } = denseIds(keys)
      const want = reference(keys)
      expect([...ids]).toEqual(want)
      expect(count).toBe(Math.max(...want) + 1)
    })
  }

  it('gives -1 to every row when no key is known', () => {
    expect(denseIds(Float64Array.of(NaN, NaN))).toEqual({ ids: Int32Array.of(-1, -1), count: 0 })
    expect(denseIds(new Float64Array(0)).count).toBe(0)
  })
})
