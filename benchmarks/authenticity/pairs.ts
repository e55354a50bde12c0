/**
 * Near-duplicate pairs benchmark: the shipped fingerprint + LSH bands +
 * similarity estimate against exact all-pairs word-3-gram Jaccard, on every
 * dev text plus 6,000 injected edited copies.
 *
 *   nice npx tsx benchmarks/authenticity/pairs.ts
 */
import { makeDoc } from '../../src/text/index.js'
import { BANDS, SIGNATURE_WORDS, estimateSimilarity, fingerprint } from '../../src/authenticity/fingerprint.js'
import { hasDevData } from './corpus.js'
import { type DupText, duplicateSet, exactPairs, shingleSets } from './dataset.js'

/** Pair precision/recall at 0.8 and copy recall at the duplicate threshold. */
export interface PairFigures {
  texts: number
  truthPairs08: number
  candidates: number
  precision08: number
  recall08: number
  /** Copies whose (copy, source) pair is estimated ≥ `threshold`, by level and overall. */
  copyRecall: Record<string, number>
  fingerprintMicros: number
}

/** Run the pairs benchmark on `texts` (see duplicateSet). */
export function pairFigures(texts: DupText[], threshold: number): PairFigures {
  const sets = shingleSets(texts)
  const truth = exactPairs(sets, 0.5)
  const t0 = performance.now()
  const sigs = new Uint32Array(texts.length * SIGNATURE_WORDS)
  const has = new Uint8Array(texts.length)
  texts.forEach((t, i) => {
    const s = fingerprint(makeDoc(t.text))
    if (s !== null) {
      sigs.set(s, i * SIGNATURE_WORDS)
      has[i] = 1
    }
  })
  const fingerprintMicros = ((performance.now() - t0) * 1000) / texts.length
  const key = (i: number, j: number) => i * 1048576 + j
  const cand = new Set<number>()
  for (let b = 0; b < BANDS; b++) {
    const buckets = new Map<number, number[]>()
    for (let i = 0; i < texts.length; i++) {
      if (has[i] === 0) continue
      const k = sigs[i * SIGNATURE_WORDS + 1 + b]!
      let list = buckets.get(k)
      if (list === undefined) buckets.set(k, (list = []))
      list.push(i)
    }
    for (const list of buckets.values()) for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) cand.add(key(list[x]!, list[y]!))
  }
  const est = new Map<number, number>()
  for (const k of cand) {
    const i = Math.floor(k / 1048576)
    const j = k % 1048576
    est.set(k, estimateSimilarity(sigs, i * SIGNATURE_WORDS + 1, sigs[i * SIGNATURE_WORDS]!, sigs, j * SIGNATURE_WORDS + 1, sigs[j * SIGNATURE_WORDS]!))
  }
  let tp = 0
  let fp = 0
  let fn = 0
  const truthSet = new Set<number>()
  for (const p of truth) if (p.jaccard >= 0.8) truthSet.add(key(p.i, p.j))
  for (const [k, e] of est) {
    if (e < 0.8) continue
    if (truthSet.has(k)) tp++
    else fp++
  }
  for (const k of truthSet) if ((est.get(k) ?? 0) < 0.8) fn++
  const levels: Record<string, [number, number]> = {}
  let found = 0
  let all = 0
  texts.forEach((t, i) => {
    if (t.source === undefined) return
    all++
    const l = (levels[t.level!] ??= [0, 0])
    l[1]++
    const k = key(Math.min(i, t.source), Math.max(i, t.source))
    // Exact copies of short texts are matched by their exact hash, not the signature.
    const hit = has[i] === 0 || has[t.source] === 0 ? t.text === texts[t.source]!.text : (est.get(k) ?? 0) >= threshold
    if (hit) {
      found++
      l[0]++
    }
  })
  const copyRecall: Record<string, number> = { all: found / all }
  for (const [l, [a, b]] of Object.entries(levels)) copyRecall[l] = a / b
  return {
    texts: texts.length,
    truthPairs08: truthSet.size,
    candidates: cand.size,
    precision08: tp / (tp + fp),
    recall08: tp / (tp + fn),
    copyRecall,
    fingerprintMicros,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!hasDevData()) {
    console.log('skipped: ../shared/data is absent')
    process.exit(0)
  }
  const f = pairFigures(duplicateSet(6000), Number(process.env.DUP_THRESHOLD ?? 0.45))
  console.log(JSON.stringify(f, null, 1))
}
