/**
 * Compare MinHash signature layouts (bytes per review vs pair precision/recall
 * at word-3-gram Jaccard ≥ 0.8 and recall of edited copies) on the duplicate
 * benchmark set. Simulates each layout from one pool of 16-bit MinHash values.
 * Then compares 640-bit similarity parts made with one hash per shingle (OPH
 * b-bit values, odd sketches) against the 640 1-bit MinHash values, with plain
 * estimators that know the set sizes, on every pair with Jaccard ≥ 0.3.
 *
 *   nice npx tsx benchmarks/authenticity/signature-variants.ts
 */
import { hasDevData } from './corpus.js'
import { duplicateSet, exactPairs, shingleSets } from './dataset.js'

if (!hasDevData()) {
  console.log('skipped: ../shared/data is absent')
  process.exit(0)
}

const POOL = 1024 // 16-bit values per text (512 mixes)
const texts = duplicateSet(6000)
const sets = shingleSets(texts)
const truth = exactPairs(sets, 0.3)
const key = (i: number, j: number) => i * 65536 + j
const truthJ = new Map<number, number>()
for (const p of truth) truthJ.set(key(p.i, p.j), p.jaccard)

const seeds = new Uint32Array(POOL / 2)
for (let i = 0; i < seeds.length; i++) seeds[i] = (Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0
const pool = new Uint16Array(texts.length * POOL)
sets.forEach((s, t) => {
  if (s === null) return
  const base = t * POOL
  pool.fill(0xffff, base, base + POOL)
  for (const x of s) {
    for (let k = 0; k < POOL / 2; k++) {
      let z = x ^ seeds[k]!
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      z ^= z >>> 16
      const hi = z >>> 16
      const lo = z & 0xffff
      if (hi < pool[base + 2 * k]!) pool[base + 2 * k] = hi
      if (lo < pool[base + 2 * k + 1]!) pool[base + 2 * k + 1] = lo
    }
  }
})

interface Layout {
  name: string
  /** Values per band and number of bands (band values taken from the pool start). */
  r: number
  bands: number
  /** Bits kept per band value for banding (16 = full). */
  bandBits: number
  /** Estimation values: count and bits each (taken after the band values; 0 = reuse band values). */
  est: number
  estBits: number
}

function bytes(l: Layout): number {
  const band = (l.r * l.bands * l.bandBits) / 8
  return band + (l.est * l.estBits) / 8
}

function run(l: Layout): void {
  const bandCount = l.r * l.bands
  const estStart = l.est === 0 ? 0 : bandCount
  const estN = l.est === 0 ? bandCount : l.est
  const estBits = l.est === 0 ? l.bandBits : l.estBits
  const bandMask = (1 << l.bandBits) - 1
  const estMask = (1 << estBits) - 1
  const C = estBits >= 16 ? 0 : 1 / (1 << estBits)
  // LSH candidates
  const cand = new Set<number>()
  for (let b = 0; b < l.bands; b++) {
    const buckets = new Map<string, number[]>()
    sets.forEach((s, t) => {
      if (s === null) return
      let k = ''
      for (let v = 0; v < l.r; v++) k += `${pool[t * POOL + b * l.r + v]! & bandMask},`
      let list = buckets.get(k)
      if (list === undefined) buckets.set(k, (list = []))
      list.push(t)
    })
    for (const list of buckets.values()) {
      if (list.length > 200) continue
      for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) cand.add(key(list[x]!, list[y]!))
    }
  }
  const est = (i: number, j: number): number => {
    let eq = 0
    for (let v = 0; v < estN; v++) if ((pool[i * POOL + estStart + v]! & estMask) === (pool[j * POOL + estStart + v]! & estMask)) eq++
    return Math.max(0, (eq / estN - C) / (1 - C))
  }
  let tp = 0
  let fp = 0
  let fn = 0
  let found50 = 0
  let all50 = 0
  const hi = new Set<number>()
  for (const k of cand) {
    const i = Math.floor(k / 65536)
    const j = k % 65536
    const e = est(i, j)
    const t = truthJ.get(k) ?? 0
    if (e >= 0.8) {
      hi.add(k)
      if (t >= 0.8) tp++
      else fp++
    }
  }
  for (const p of truth) {
    if (p.jaccard >= 0.8 && !hi.has(key(p.i, p.j))) fn++
  }
  // edited copies: found when the pair (source, copy) is a candidate with estimate ≥ 0.45
  for (let t = 0; t < texts.length; t++) {
    const src = texts[t]!.source
    if (src === undefined || sets[t] === null || sets[src] === null) continue
    all50++
    const k = key(Math.min(src, t), Math.max(src, t))
    if (cand.has(k) && est(src, t) >= 0.45) found50++
  }
  console.log(
    `${l.name.padEnd(28)} ${String(bytes(l)).padStart(5)} B  cand ${String(cand.size).padStart(7)}  P@0.8 ${(tp / (tp + fp)).toFixed(4)}  R@0.8 ${(tp / (tp + fn)).toFixed(4)}  copies found ${(found50 / all50).toFixed(4)}`,
  )
}

console.log(`texts ${texts.length}, truth pairs ≥0.8: ${truth.filter((p) => p.jaccard >= 0.8).length}, 0.5–0.8: ${truth.filter((p) => p.jaccard >= 0.5 && p.jaccard < 0.8).length}`)
const layouts: Layout[] = [
  { name: 'b8 x128, r4 x32', r: 4, bands: 32, bandBits: 8, est: 0, estBits: 8 },
  { name: 'b8 x128, r3 x42', r: 3, bands: 42, bandBits: 8, est: 0, estBits: 8 },
  { name: 'b16 r2x16 + b1 x512', r: 2, bands: 16, bandBits: 16, est: 512, estBits: 1 },
  { name: 'b16 r2x16 + b1 x768', r: 2, bands: 16, bandBits: 16, est: 768, estBits: 1 },
  { name: 'b16 r2x12 + b1 x640', r: 2, bands: 12, bandBits: 16, est: 640, estBits: 1 },
  { name: 'b16 r2x16 + b2 x256', r: 2, bands: 16, bandBits: 16, est: 256, estBits: 2 },
  { name: 'b16 r2x16 + b4 x128', r: 2, bands: 16, bandBits: 16, est: 128, estBits: 4 },
  { name: 'b16 x64 (r2x32)', r: 2, bands: 32, bandBits: 16, est: 0, estBits: 16 },
]
for (const l of layouts) run(l)

// ---------------------------------------------------------------------------
// 640-bit similarity parts made with one hash per shingle, on the truth pairs.

const K = 640
const mix = (x: number, seed: number) => {
  let z = Math.imul(x ^ seed ^ (x >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return z ^ (z >>> 16)
}

/** 1-bit one-permutation MinHash over K bins with optimal densification; returns the bits and the probes made. */
function ophBits(set: Uint32Array): { bits: Uint8Array; probes: number } {
  const rank = new Float64Array(K).fill(Number.POSITIVE_INFINITY)
  const bit = new Int8Array(K).fill(-1)
  for (const x of set) {
    const h = mix(x, 0x1234567) >>> 0
    const bin = Math.floor((h / 2 ** 32) * K)
    if (h < rank[bin]!) {
      rank[bin] = h
      bit[bin] = mix(x, 0x7654321) & 1
    }
  }
  const bits = new Uint8Array(K)
  let probes = 0
  for (let i = 0; i < K; i++) {
    let j = i
    for (let t = 1; bit[j] === -1; t++) {
      probes++
      j = Math.floor(((mix(i * 65536 + t, 0x2545f491) >>> 0) / 2 ** 32) * K)
    }
    bits[i] = bit[j]!
  }
  return { bits, probes }
}

/** Odd sketch of K / b cells of b bits (nonzero cell values XORed in). */
function oddSketch(set: Uint32Array, b: number): Uint8Array {
  const cells = K / b
  const out = new Uint8Array(cells)
  const q = 1 << b
  for (const x of set) {
    const h = mix(x, 0x1234567) >>> 0
    out[Math.floor((h / 2 ** 32) * cells)]! ^= 1 + (mix(x, 0x7654321) >>> 0) % (q - 1)
  }
  return out
}

/** Plain Jaccard from an odd-sketch XOR: invert E[nonzero cells](d), then I = (a + b − d) / 2. */
function oddEstimate(x: Uint8Array, y: Uint8Array, b: number, na: number, nb: number): number {
  const cells = K / b
  const q = 1 << b
  let nonzero = 0
  for (let c = 0; c < cells; c++) if (x[c] !== y[c]) nonzero++
  // P(cell zero | d) = (1 + (q − 1)(1 − q / ((q − 1) cells))^d) / q
  const zero = (cells - nonzero) / cells
  const base = 1 - q / ((q - 1) * cells)
  const inner = (zero * q - 1) / (q - 1)
  const d = inner <= 0 ? na + nb : Math.log(inner) / Math.log(base)
  const i = Math.max(0, Math.min(na, nb, (na + nb - d) / 2))
  return i / (na + nb - i)
}

{
  const pairs = truth.filter((p) => sets[p.i] !== null && sets[p.j] !== null)
  const setOf = (i: number) => sets[i]!
  const oph = sets.map((s) => (s === null ? null : ophBits(s)))
  const odd1 = sets.map((s) => (s === null ? null : oddSketch(s, 1)))
  const odd2 = sets.map((s) => (s === null ? null : oddSketch(s, 2)))
  let probes = 0
  let signed = 0
  for (const o of oph) if (o !== null) {
    probes += o.probes
    signed++
  }
  const variants: [string, (i: number, j: number) => number][] = [
    ['MinHash b1 x640 (332 mixes/shingle)', (i, j) => {
      let eq = 0
      for (let v = 0; v < K; v++) if ((pool[i * POOL + 24 + v]! & 1) === (pool[j * POOL + 24 + v]! & 1)) eq++
      return Math.max(0, (2 * eq) / K - 1)
    }],
    [`OPH b1 x640, optimal densification (${(probes / signed).toFixed(0)} probes/text)`, (i, j) => {
      const x = oph[i]!.bits
      const y = oph[j]!.bits
      let eq = 0
      for (let v = 0; v < K; v++) if (x[v] === y[v]) eq++
      return Math.max(0, (2 * eq) / K - 1)
    }],
    ['odd sketch 640 x 1 bit', (i, j) => oddEstimate(odd1[i]!, odd1[j]!, 1, setOf(i).length, setOf(j).length)],
    ['odd sketch 320 x 2 bits', (i, j) => oddEstimate(odd2[i]!, odd2[j]!, 2, setOf(i).length, setOf(j).length)],
  ]
  console.log()
  console.log(`640-bit similarity parts, plain estimates, ${pairs.length} pairs with Jaccard ≥ 0.3:`)
  for (const [name, est] of variants) {
    let tp = 0
    let fp = 0
    let fn = 0
    let se = 0
    let near = 0
    for (const p of pairs) {
      const e = est(p.i, p.j)
      if (e >= 0.8 && p.jaccard >= 0.8) tp++
      else if (e >= 0.8) fp++
      else if (p.jaccard >= 0.8) fn++
      if (p.jaccard >= 0.7 && p.jaccard <= 0.9) {
        se += (e - p.jaccard) ** 2
        near++
      }
    }
    console.log(`${name.padEnd(56)} P@0.8 ${(tp / (tp + fp)).toFixed(4)}  R@0.8 ${(tp / (tp + fn)).toFixed(4)}  RMSE at 0.7–0.9 ${Math.sqrt(se / near).toFixed(4)}`)
  }
}
