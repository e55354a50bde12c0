/**
 * Priming runs made-up reviews through the analyzers before a batch, so
 * that V8 optimizes them once with every kind of token seen. It must cover
 * what it is there for, and must not change any result.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { analyzeValid, contextFor } from '../src/analyze.js'
import { PRIME_REVIEWS, prime } from '../src/batch/prime.js'
import { Stage } from '../src/batch/stage.js'
import type { Chunk } from '../src/batch/protocol.js'
import { parseTaxonomy } from '../src/index.js'
import { resolveOptions } from '../src/review/index.js'
import { makeDoc } from '../src/text/index.js'

const SAMPLE = new URL('../data/sample/reviews.jsonl', import.meta.url)

function objectsChunk(items: unknown[]): Chunk {
  return { kind: 'objects', seq: 0, start: 0, rows: items.length, items, endOffset: 0 } as unknown as Chunk
}

describe('prime', () => {
  it('the made-up reviews hold every kind of token and every repair', () => {
    const kinds = new Set<string>()
    const repairs = new Set<string>()
    for (const r of PRIME_REVIEWS) {
      const doc = makeDoc(r.text, r.title)
      for (const t of doc.body.tokens) kinds.add(t.kind)
      for (const x of doc.body.repairs) repairs.add(x)
    }
    expect([...kinds].sort()).toEqual(['email', 'emoji', 'emoticon', 'hashtag', 'mention', 'number', 'phone', 'punct', 'url', 'word'])
    expect(repairs.has('mojibake')).toBe(true)
    expect(repairs.has('html')).toBe(true)
  })

  it('the made-up reviews reach every language, sentiment label and default journey stage', () => {
    const ctx = contextFor(resolveOptions({}))
    const languages = new Set<string>()
    const labels = new Set<string>()
    const stages = new Set<string>()
    const signals = new Set<string>()
    PRIME_REVIEWS.forEach((review, i) => {
      const { result } = analyzeValid({ ok: true, row: i + 1, id: String(i), review: { ...review }, fields: undefined }, ctx, i)
      languages.add(result.language.code)
      labels.add(result.sentiment.label)
      for (const j of result.journey) stages.add(j.stage)
      for (const s of result.authenticity.signals) signals.add(s.type)
    })
    expect([...languages].sort()).toEqual(['en', 'es', 'it'])
    expect([...labels].sort()).toEqual(['negative', 'neutral', 'positive'])
    expect([...stages].sort()).toEqual(['delivery', 'discovery', 'loyalty', 'purchase', 'support', 'usage'])
    // The per-review signals: the batch ones (copies, bursts, activity) come from the cross-review pass.
    for (const type of ['spam', 'incentivized', 'unverified', 'rating_mismatch', 'low_information']) expect(signals).toContain(type)
  })

  it('a primed stage gives the same bytes as one that was not', () => {
    const rows = readFileSync(SAMPLE, 'utf8').trim().split('\n').map((line): unknown => {
      try {
        return JSON.parse(line)
      } catch {
        return line // the sample's damaged line: an error row
      }
    })
    const plain = new Stage(contextFor(resolveOptions({ explain: true }))).run(objectsChunk(rows))
    const ctx = contextFor(resolveOptions({ explain: true }))
    prime(ctx)
    const primed = new Stage(ctx).run(objectsChunk(rows))
    expect(Buffer.from(primed.spill).equals(Buffer.from(plain.spill))).toBe(true)
    expect(primed.records).toEqual(plain.records)
  })

  it('primes the analyzers of any options: a given language, a custom taxonomy', () => {
    const taxonomy = parseTaxonomy({ stages: [{ id: 'price', cues: { en: ['price', 'cheap'], es: ['precio'], it: ['prezzo'] } }] })
    for (const options of [{ lang: 'es' as const }, { taxonomy }, { explain: true, lang: 'it' as const }]) {
      expect(() => prime(contextFor(resolveOptions(options)))).not.toThrow()
    }
  })
})
