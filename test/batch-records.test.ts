/**
 * The records as the batch core moves them: in columns (a worker transfers
 * typed arrays, not objects), with the cross-review state's full chunks
 * parked outside memory while the batch is read, and the output bytes built
 * without one large string per chunk. Each path must give exactly what the
 * plain one gives.
 */
import { describe, expect, it } from 'vitest'
import { type ChunkStore, CrossReviewState, RecordBatchBuilder, type ReviewRecord, contentSignals, exactHash, fingerprint } from '../src/authenticity/index.js'
import { Column } from '../src/authenticity/columns.js'
import { ByteBuilder } from '../src/batch/bytes.js'
import { ChunkFile } from '../src/batch/spill.js'
import { resolveOptions } from '../src/review/index.js'
import { makeDoc } from '../src/text/index.js'
import { prng } from './batch-util.js'

const NEUTRAL = { score: 0, label: 'neutral' as const, stars: 3, confidence: 0 }
const DAY = 86_400_000
const T0 = Date.UTC(2024, 0, 1)

/** Made-up words, so texts are distinct unless a test copies one. */
function vocabulary(rand: () => number, n: number): string[] {
  const letters = 'abcdefghilmnoprstuvz'
  return Array.from({ length: n }, () => Array.from({ length: 3 + Math.floor(rand() * 6) }, () => letters[Math.floor(rand() * letters.length)]).join(''))
}

type Text = Pick<ReviewRecord, 'signature' | 'exact' | 'words' | 'signals'>

function textFacts(text: string, rating: number): Text {
  const doc = makeDoc(text)
  let words = 0
  for (const t of doc.body.tokens) if (t.kind === 'word') words++
  return { signature: fingerprint(doc), exact: exactHash(doc), words, signals: contentSignals(doc, { text, rating } as never, 'en', NEUTRAL) }
}

/**
 * Seeded records: texts from a pool (some reused: copies), a few short ones,
 * Zipf-ish products and authors, a planted burst, some without a date,
 * author or product, and some with an odd id (non-ASCII, very long).
 */
function records(n: number, seed: number): ReviewRecord[] {
  const rand = prng(seed)
  const words = vocabulary(rand, 400)
  const pool: Text[] = []
  for (let k = 0; k < 1500; k++) {
    const len = k % 10 === 0 ? 2 + Math.floor(rand() * 3) : 6 + Math.floor(rand() * 14)
    pool.push(textFacts(Array.from({ length: len }, () => words[Math.floor(rand() * words.length)]).join(' '), 1 + Math.floor(rand() * 5)))
  }
  // Short generic praise (low_information), copied often: such copies are not duplicates.
  for (const t of ['Great product, love it', 'Very good product, recommended', 'Excellent, works great, five stars']) pool.unshift(textFacts(t, 5))
  const out: ReviewRecord[] = []
  for (let i = 0; i < n; i++) {
    const burst = i % 997 === 0
    const text = pool[Math.floor(rand() ** 2 * pool.length)]!
    const r = rand()
    out.push({
      index: i,
      id: i % 5000 === 7 ? `r${i}-ñ-${'x'.repeat(i % 3 === 0 ? 30_000 : 10)}` : `r${i}`,
      product: r < 0.02 ? undefined : burst ? 'P-burst' : `P${Math.floor(rand() ** 3 * 400)}`,
      author: r > 0.97 ? undefined : `A${Math.floor(rand() ** 2 * 20_000)}`,
      date: r > 0.95 ? undefined : burst ? T0 + 100 * DAY + Math.floor(rand() * DAY) : T0 + Math.floor(rand() * 200 * DAY),
      rating: r < 0.1 ? undefined : burst ? 5 : 1 + Math.floor(rand() * 5),
      verified: r < 0.3 ? undefined : rand() < 0.85,
      sentiment: 0,
      ...text,
    })
  }
  return out
}

/** Everything `finish` answers, as one string. */
function finished(state: CrossReviewState, n: number): string {
  const found = state.finish(resolveOptions())
  const parts: string[] = [JSON.stringify(found.summary)]
  for (let i = 0; i < n; i++) parts.push(JSON.stringify(found.signalsFor(i)), JSON.stringify(found.scoreFor(i)))
  return parts.join('\n')
}

/** A store in memory that counts what it keeps. */
class MemoryStore implements ChunkStore {
  readonly kept: Uint8Array[] = []
  put(bytes: Uint8Array): number {
    this.kept.push(bytes.slice())
    return this.kept.length - 1
  }
  get(key: number, into: Uint8Array): void {
    into.set(this.kept[key]!)
  }
}

function byBatches(state: CrossReviewState, recs: ReviewRecord[], size: number): void {
  for (let at = 0; at < recs.length; at += size) {
    const builder = new RecordBatchBuilder(size)
    for (const r of recs.slice(at, at + size)) builder.push(r)
    state.addBatch(builder.finish())
  }
}

describe('records in columns', () => {
  // More than one 65,536-row chunk, so full chunks are parked.
  const N = 70_000
  const recs = records(N, 7)
  let plain: string

  it('give the cross-review pass the same answers as records added one by one', () => {
    const one = new CrossReviewState()
    for (const r of recs) one.add(r)
    plain = finished(one, N)
    const batched = new CrossReviewState()
    byBatches(batched, recs, 256)
    expect(finished(batched, N)).toBe(plain)
  })

  it('give the same answers when the full chunks are parked in a store while adding', () => {
    const store = new MemoryStore()
    const parked = new CrossReviewState({ store })
    byBatches(parked, recs, 300)
    expect(store.kept.length).toBeGreaterThan(10)
    expect(finished(parked, N)).toBe(plain)
  })

  it('give the same answers when parked in a temporary file, which is removed afterwards', () => {
    const file = new ChunkFile()
    const parked = new CrossReviewState({ store: file })
    for (const r of recs) parked.add(r)
    expect(finished(parked, N)).toBe(plain)
    file.dispose()
  })
})

describe('Column.setRows', () => {
  it('stores what setRow stores, across the first chunk growing and a chunk boundary', () => {
    const width = 3
    const rows = 65_536 + 1_500
    const values = new Uint32Array((rows + 10) * width)
    for (let i = 0; i < values.length; i++) values[i] = (i * 2_654_435_761) >>> 0
    const byRow = new Column(Uint32Array, width)
    for (let r = 0; r < rows; r++) byRow.setRow(r, values.subarray((r + 10) * width, (r + 11) * width))
    const bulk = new Column(Uint32Array, width)
    // Uneven pieces: one starts in the first chunk and ends in the second.
    for (const [at, n] of [[0, 700], [700, 64_000], [64_700, 1_000], [65_700, 1_336]] as const) bulk.setRows(at, values, at + 10, n)
    for (let r = 0; r < rows; r++) for (let k = 0; k < width; k++) expect(bulk.get(r, k)).toBe(byRow.get(r, k))
  })
})

describe('Column parking', () => {
  it('keeps the chunk being filled and restores the others exactly', () => {
    const store = new MemoryStore()
    const col = new Column(Uint32Array, 3)
    const rows = 65_536 * 2 + 17
    for (let r = 0; r < rows; r++) for (let k = 0; k < 3; k++) col.set(r, (r * 7 + k) >>> 0, k)
    col.park(store)
    expect(store.kept).toHaveLength(2)
    expect(col.hasParked).toBe(true)
    expect(col.get(rows - 1, 2)).toBe(((rows - 1) * 7 + 2) >>> 0)
    col.restore(store)
    expect(col.hasParked).toBe(false)
    for (const r of [0, 1, 65_535, 65_536, 100_000, rows - 1]) for (let k = 0; k < 3; k++) expect(col.get(r, k)).toBe((r * 7 + k) >>> 0)
  })
})

describe('ByteBuilder', () => {
  it('writes strings as UTF-8 and bytes as they are, growing past its first size', () => {
    const b = new ByteBuilder(16)
    const parts = ['héllo', ' ', '😀 ünïcode', 'x'.repeat(5000), '\n']
    for (const p of parts) b.text(p)
    b.bytes(Buffer.from('tail'), 1, 3)
    b.byte(0x21)
    expect(b.view().toString('utf8')).toBe(`${parts.join('')}ai!`)
    expect(b.length).toBe(Buffer.byteLength(parts.join('')) + 3)
  })
})
