/**
 * Shingles for near-duplicate detection: hashed word n-grams over the token
 * keys (accent-folded, lower-cased), so case, accents, punctuation and spacing
 * do not hide a copy.
 */
import type { Token } from './types.js'

/** 32-bit FNV-1a of a string. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Hash of each content token (words and numbers), in order. */
export function tokenHashes(tokens: Token[]): Uint32Array {
  let n = 0
  for (const t of tokens) if (t.kind === 'word' || t.kind === 'number') n++
  const out = new Uint32Array(n)
  let i = 0
  for (const t of tokens) if (t.kind === 'word' || t.kind === 'number') out[i++] = fnv1a(t.key)
  return out
}

/**
 * Distinct hashed word n-grams (n = `size`) of a token-hash sequence. Texts
 * shorter than `size` words give one shingle of the whole text.
 */
export function wordShingles(hashes: Uint32Array, size = 3): Uint32Array {
  if (hashes.length === 0) return new Uint32Array(0)
  const count = Math.max(1, hashes.length - size + 1)
  const seen = new Set<number>()
  for (let i = 0; i < count; i++) {
    let h = 0x9e3779b9
    const stop = Math.min(hashes.length, i + size)
    for (let k = i; k < stop; k++) h = Math.imul(h ^ hashes[k]!, 0x85ebca6b) ^ (h >>> 13)
    seen.add(h >>> 0)
  }
  return Uint32Array.from(seen)
}
