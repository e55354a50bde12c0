/**
 * Priming runs made-up reviews through the analyzers before a batch, so
 * that V8 optimizes them once with the rarer kinds of token seen. It must
 * cover what it is there for, must not change any result, and must never
 * stop a run.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { analyzeValid, contextFor } from '../src/analyze.js'
import { PRIME_MIN_BYTES, PRIME_REVIEWS, prime, primeInProcess } from '../src/batch/prime.js'
import type { Chunk } from '../src/batch/protocol.js'
import { parseTaxonomy } from '../src/index.js'
import { resolveOptions } from '../src/review/index.js'
import { makeDoc } from '../src/text/index.js'

const DATA = resolve(import.meta.dirname, '../../shared/data')
const SAMPLE = resolve(import.meta.dirname, '../data/sample/reviews.jsonl')

function objectsChunk(items: unknown[]): Chunk {
  return { kind: 'objects', seq: 0, start: 0, rows: items.length, items, endOffset: 0 } as unknown as Chunk
}

/** Rows of a JSON Lines file; a line that is not JSON stays a string (an error row). */
function jsonLines(file: string, limit = Infinity): unknown[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(0, limit)
    .map((line): unknown => {
      try {
        return JSON.parse(line)
      } catch {
        return line
      }
    })
}

/**
 * The stage's output for `rows` in a fresh copy of every module (its own word
 * table, word vectors and caches, as in a new worker thread), primed or not.
 */
async function freshStageOutput(rows: unknown[], primed: boolean): Promise<Buffer> {
  vi.resetModules()
  const { wordIdCount } = await import('../src/text/index.js')
  // A word table of its own, empty (this file's tests filled the first one).
  expect(wordIdCount()).toBe(0)
  const { contextFor: freshContext } = await import('../src/analyze.js')
  const { Stage } = await import('../src/batch/stage.js')
  const { prime: freshPrime } = await import('../src/batch/prime.js')
  const { resolveOptions: freshOptions } = await import('../src/review/index.js')
  const ctx = freshContext(freshOptions({ explain: true }))
  if (primed) freshPrime(ctx)
  return Buffer.from(new Stage(ctx).run(objectsChunk(rows)).spill)
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
    expect([...repairs].sort()).toEqual(['control_chars', 'html', 'machine_translation', 'mojibake', 'unicode_nfc', 'zero_width'])
  })

  it('the made-up reviews reach every language, sentiment label and default journey stage', () => {
    const ctx = contextFor(resolveOptions({}))
    const languages = new Set<string>()
    const labels = new Set<string>()
    const stages = new Set<string>()
    const signals = new Set<string>()
    PRIME_REVIEWS.forEach((review, i) => {
      const { result } = analyzeValid({ ok: true, row: i + 1, id: String(i), review: { ...review }, fields: undefined, dayless: false }, ctx, i)
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

  it('a primed stage gives the same bytes as one that was not, each in fresh modules', { timeout: 120_000 }, async () => {
    const files = ['sentiment_es.jsonl', 'sentiment_it.jsonl', 'sentiment_en.jsonl'].map((f) => resolve(DATA, f))
    // The dev corpora when they are there (1,500 rows in three languages), else the bundled sample.
    const rows = files.every(existsSync) ? files.flatMap((f) => jsonLines(f, 500)) : jsonLines(SAMPLE)
    const plain = await freshStageOutput(rows, false)
    const primed = await freshStageOutput(rows, true)
    expect(primed.length).toBeGreaterThan(rows.length * 100)
    expect(primed.equals(plain)).toBe(true)
  })

  it('primes the analyzers of any options: a given language, a custom taxonomy', () => {
    const taxonomy = parseTaxonomy({ stages: [{ id: 'price', cues: { en: ['price', 'cheap'], es: ['precio'], it: ['prezzo'] } }] })
    for (const options of [{ lang: 'es' as const }, { taxonomy }, { explain: true, lang: 'it' as const }, { maxTextLength: 8 }]) {
      expect(() => prime(contextFor(resolveOptions(options)))).not.toThrow()
    }
  })

  it('never throws, even when an analyzer does: it only saves time', () => {
    const ctx = contextFor(resolveOptions({}))
    const broken = { ...ctx, taxonomy: null } as unknown as typeof ctx
    expect(() => analyzeValid({ ok: true, row: 1, id: 'x', review: { ...PRIME_REVIEWS[0]! }, fields: undefined, dayless: false }, broken, 0)).toThrow()
    expect(() => prime(broken)).not.toThrow()
  })

  it('primes a context once: the windows of a batch share it', () => {
    const ctx = contextFor(resolveOptions({ lang: 'en' }))
    const reads = vi.fn()
    // Count the reads of the options: a second prime must not run the reviews again.
    const counted = new Proxy(ctx, {
      get(target, key, receiver) {
        if (key === 'options') reads()
        return Reflect.get(target, key, receiver)
      },
    })
    prime(counted)
    const first = reads.mock.calls.length
    expect(first).toBeGreaterThan(0)
    prime(counted)
    expect(reads.mock.calls.length).toBe(first)
  })

  it('primes in-process for a file of 256 KB or more, or a first chunk that is long or full', () => {
    expect(primeInProcess(PRIME_MIN_BYTES, 10, 256)).toBe(true)
    expect(primeInProcess(PRIME_MIN_BYTES - 1, 256, 256)).toBe(false)
    expect(primeInProcess(undefined, 3, 256)).toBe(false)
    expect(primeInProcess(undefined, 256, 256)).toBe(true)
    expect(primeInProcess(undefined, 100, 100)).toBe(true)
    expect(primeInProcess(undefined, 99, 100)).toBe(false)
    expect(primeInProcess(undefined, 300, 1000)).toBe(true)
  })
})
