/**
 * Memory and time of the cross-review pass on synthetic records (no dev data
 * needed): N records like the ones workers send (signatures of unique texts,
 * 3% near-copies, 15% texts too short to sign, Zipf-like products, most
 * authors with one review), added one by one, then `finish` and every
 * `signalsFor`. Prints peak RSS of the whole process and bytes per row.
 *
 *   nice node --import tsx benchmarks/authenticity/memory.ts 1000000
 */
import { CrossReviewState } from '../../src/authenticity/index.js'
import type { ReviewRecord } from '../../src/authenticity/index.js'
import { BANDS, SIGNATURE_WORDS } from '../../src/authenticity/fingerprint.js'
import { resolveOptions } from '../../src/review/index.js'
import { seededRandom } from './corpus.js'

/** Make the synthetic record `i` (deterministic). */
export function syntheticRecord(i: number, rng: () => number, recent: Uint32Array[]): ReviewRecord {
  const short = rng() < 0.15
  let signature: Uint32Array | null = null
  let exact = Math.floor(rng() * 2 ** 53)
  if (!short) {
    if (recent.length > 0 && rng() < 0.03) {
      // A near-copy of a recent text: same bands mostly, a few bits flipped.
      const src = recent[Math.floor(rng() * recent.length)]!
      signature = src.slice()
      signature[1 + Math.floor(rng() * BANDS)] = (rng() * 2 ** 32) >>> 0
      for (let k = 0; k < 40; k++) {
        const w = 1 + BANDS + Math.floor(rng() * (SIGNATURE_WORDS - 1 - BANDS))
        signature[w] = (signature[w]! ^ (1 << Math.floor(rng() * 32))) >>> 0
      }
    } else {
      signature = new Uint32Array(SIGNATURE_WORDS)
      signature[0] = 10 + Math.floor(rng() * 90)
      for (let k = 1; k < SIGNATURE_WORDS; k++) signature[k] = (rng() * 2 ** 32) >>> 0
      if (recent.length < 1000) recent.push(signature)
      else recent[Math.floor(rng() * 1000)] = signature
    }
  } else exact = Math.floor(rng() * 5000) // short texts repeat ("Great!")
  const r = rng()
  const rating = r < 0.55 ? 5 : r < 0.75 ? 4 : r < 0.83 ? 3 : r < 0.89 ? 2 : 1
  const verified = rng() < 0.87
  return {
    index: i,
    id: `review-${i.toString(36).padStart(7, '0')}`,
    product: `P${Math.floor(50_000 * rng() ** 3)}`,
    author: `A${Math.floor(rng() * 700_000)}`,
    date: Date.UTC(2016, 0, 1) + Math.floor(rng() * 3000) * 86_400_000,
    rating,
    verified,
    sentiment: 0,
    signature,
    exact,
    words: short ? 3 : 20 + Math.floor(rng() * 100),
    signals: verified ? [] : [{ type: 'unverified', strength: 1, reason: 'the platform says the purchase was not verified' }],
  }
}

if (process.argv[1] !== undefined && process.argv[1].endsWith('memory.ts')) {
  const n = Number(process.argv[2] ?? 1_000_000)
  const rng = seededRandom(42)
  const recent: Uint32Array[] = []
  const base = process.memoryUsage().rss
  const state = new CrossReviewState()
  const t0 = performance.now()
  for (let i = 0; i < n; i++) state.add(syntheticRecord(i, rng, recent))
  const t1 = performance.now()
  const afterAdd = process.memoryUsage().rss
  const storedBytes = state.bytes()
  const found = state.finish(resolveOptions())
  const t2 = performance.now()
  let signals = 0
  for (let i = 0; i < n; i++) signals += found.signalsFor(i).length
  const t3 = performance.now()
  const peak = process.resourceUsage().maxRSS * 1024
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`
  console.log(
    JSON.stringify({
      rows: n,
      storedBytesPerRow: Math.round(storedBytes / n),
      rssBeforeAdd: mb(base),
      rssAfterAdd: mb(afterAdd),
      peakRss: mb(peak),
      addMs: Math.round(t1 - t0),
      finishMs: Math.round(t2 - t1),
      signalsForMs: Math.round(t3 - t2),
      signals,
      clusters: found.summary.duplicateClusters,
      bursts: found.summary.bursts,
    }),
  )
}
