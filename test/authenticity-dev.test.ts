/**
 * Accuracy floors on the dev corpora (read at run time from ../shared/data,
 * skipped when absent) and the planted cases of the bundled sample dump
 * through `analyzeBatch`.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasDevData } from '../benchmarks/authenticity/corpus.js'
import { injectedDump, organicRows, scoreDump } from '../benchmarks/authenticity/dump.js'
import { evaluateDump } from '../benchmarks/authenticity/evaluate.js'
import { crossValidate, loadSets } from '../scripts/fit-generated.js'
import { analyzeBatch } from '../src/index.js'
import type { ResultRow, ReviewResult, SignalType } from '../src/index.js'

const dev = hasDevData()
if (!dev) console.warn('authenticity-dev: ../shared/data is absent, the dev-corpus floors are skipped')

describe.skipIf(!dev)('generated_text style models (cross-validated on the dev files)', () => {
  it('separate machine-generated from original reviews (AUC ≥ 0.90) and deceptive from truthful hotel reviews (AUC ≥ 0.85)', () => {
    const { machine, fabricated } = loadSets()
    expect(crossValidate(machine, 30).auc).toBeGreaterThanOrEqual(0.9)
    expect(crossValidate(fabricated, 30).auc).toBeGreaterThanOrEqual(0.85)
  }, 120_000)
})

describe.skipIf(!dev)('injection dump (amazon_verified + copies + bursts, a seed the weights were not fitted on)', () => {
  const figures = () => {
    const organic = organicRows()
    const bursts = Array.from({ length: 10 }, (_, k) => ({ size: 15 + (k % 6), days: 1 }))
    return evaluateDump(scoreDump(injectedDump(organic, { seed: 31, copies: 150, bursts })))
  }
  it('finds the bursts, the copies and the cross-listings with few false alarms', () => {
    const f = figures()
    expect(f.burstRecall).toBeGreaterThanOrEqual(0.95)
    expect(f.burstFalseAlarm).toBeLessThanOrEqual(0.01)
    expect(f.copyRecallByLevel.exact).toBe(1)
    expect(f.copyRecallByLevel.light).toBeGreaterThanOrEqual(0.9)
    expect(f.copyRecallByLevel.hard).toBeGreaterThanOrEqual(0.9)
    expect(f.duplicateFalseAlarm).toBeLessThanOrEqual(0.02)
    expect(f.crossListedRecall).toBe(1)
    expect(f.crossListedPrecision).toBe(1)
    expect(f.organicRate.cross_listed).toBeGreaterThan(0.5)
    expect(f.auc).toBeGreaterThanOrEqual(0.9)
  }, 120_000)
})

describe('the sample dump', () => {
  const root = resolve(import.meta.dirname, '..')
  const lines = readFileSync(resolve(root, 'data/sample/reviews.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
  const planted = JSON.parse(readFileSync(resolve(root, 'data/sample/planted.json'), 'utf8')) as {
    burst: string[]
    copies: string[][]
    crossListed: string[]
    spam: string[]
    incentivized: string[]
    mismatch: string[]
  }
  const rows = lines.map((l) => {
    try {
      return JSON.parse(l) as unknown
    } catch {
      return l
    }
  })
  const results = async (options: Parameters<typeof analyzeBatch>[1]) => {
    const out: ResultRow[] = []
    const run = analyzeBatch(rows, options)
    for await (const r of run) out.push(r)
    return { out, summary: run.summary() }
  }
  const byId = (out: ResultRow[]) => new Map(out.filter((r): r is ReviewResult => r.ok).map((r) => [r.id, r]))
  const signalOf = (r: ReviewResult | undefined, type: SignalType) => r?.authenticity.signals.find((s) => s.type === type)

  it('catches every planted case with a readable reason', async () => {
    const { out, summary } = await results({ workers: 1 })
    const get = byId(out)
    for (const id of planted.burst) {
      const s = signalOf(get.get(id), 'burst')
      expect(s?.reason, id).toMatch(/^one of \d+ reviews of eb5-earbuds on 2024-06-14/)
    }
    for (const cluster of planted.copies) {
      const names = new Set(cluster.map((id) => signalOf(get.get(id), 'duplicate')?.cluster))
      expect(names.size, cluster.join(',')).toBe(1)
      expect([...names][0]).toMatch(/^dup-\d+$/)
      for (const id of cluster) expect(signalOf(get.get(id), 'duplicate')?.related?.some((x) => cluster.includes(x)), id).toBe(true)
    }
    for (const id of planted.spam) expect(signalOf(get.get(id), 'spam')?.reason, id).toMatch(/^looks like spam: /)
    for (const id of planted.incentivized) expect(signalOf(get.get(id), 'incentivized')?.phrase, id).toBeTruthy()
    for (const id of planted.mismatch) expect(signalOf(get.get(id), 'rating_mismatch')?.reason, id).toMatch(/^rated \d stars? but the text reads/)
    for (const id of planted.crossListed) {
      expect(signalOf(get.get(id), 'cross_listed'), id).toBeDefined()
      expect(signalOf(get.get(id), 'duplicate'), id).toBeUndefined()
      expect(get.get(id)!.authenticity.verdict).toBe('genuine')
    }
    for (const id of [...planted.spam, ...planted.incentivized.filter((x) => x !== 's008')]) expect(get.get(id)!.authenticity.verdict, id).toBe('likely_fake')
    const earbuds = summary.authenticity.products.find((p) => p.product === 'eb5-earbuds')!
    expect(earbuds.bursts).toBe(1)
    expect(earbuds.adjustedRating).toBeLessThan(earbuds.averageRating!)
  }, 120_000)

  it('gives the same authenticity for any worker count and chunk size', async () => {
    const a = await results({ workers: 1, chunkSize: 300 })
    const b = await results({ workers: 2, chunkSize: 7 })
    const auth = (out: ResultRow[]) => out.map((r) => (r.ok ? r.authenticity : null))
    expect(auth(b.out)).toEqual(auth(a.out))
    expect(b.summary.authenticity).toEqual(a.summary.authenticity)
  }, 120_000)
})
