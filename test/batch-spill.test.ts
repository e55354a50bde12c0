/**
 * What the per-review stage hands to the final write: each row's output
 * line, whose authenticity the write can find and replace, in blocks that
 * come back as they went in (with their tallies), and the tallies that add
 * up to the summary.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChunkFile, Spill } from '../src/batch/spill.js'
import { authenticitySpan } from '../src/batch/output-line.js'
import { type Tally, emptyTally, mergeTally, tallyError, tallyOk } from '../src/batch/tally.js'
import { FieldResolver, RecensioError } from '../src/review/index.js'
import { SummaryBuilder } from '../src/batch/summary.js'
import { JourneyAggregate, type ReviewResult } from '../src/index.js'

function result(extra: Partial<ReviewResult> = {}): ReviewResult {
  return {
    id: 'r\t"1"',
    ok: true,
    row: 3,
    language: { code: 'es', confidence: 0.93, source: 'detected' },
    sentiment: { score: -0.41, label: 'negative', stars: 1.9, confidence: 0.7 },
    journey: [
      {
        stage: 'delivery',
        confidence: 0.8,
        evidence: ['llegó tarde'],
        spans: [{ field: 'text', start: 0, end: 11 }],
        sentiment: { score: -0.5, label: 'negative' },
      },
      { stage: 'waiting_time', confidence: 0.6, evidence: ['dos\tsemanas'], spans: [], sentiment: { score: 0, label: 'neutral' } },
    ],
    authenticity: { fakeScore: 0.2, verdict: 'genuine', signals: [{ type: 'unverified', strength: 0.5, reason: 'said "authenticity":0' }] },
    rating: 1,
    date: null,
    ...extra,
  }
}

describe('output lines', () => {
  const other = { fakeScore: 0.9, verdict: 'likely_fake' as const, signals: [{ type: 'duplicate' as const, strength: 1, reason: 'copied' }] }
  const cases: [string, ReviewResult][] = [
    ['a plain result', result()],
    ['kept fields after the authenticity', result({ product: 'p', fields: { order: 'A-1', note: 'x\ny' } })],
    ['a kept field named "authenticity"', result({ fields: { authenticity: 0, other: ',"authenticity":0' } })],
    [
      'braces, brackets, quotes and backslashes in the signals',
      result({
        id: '{"authenticity":[',
        authenticity: { fakeScore: 0.5, verdict: 'suspicious', signals: [{ type: 'low_information', strength: 0.2, reason: 'said "}]" \\', phrase: '\\"{ ñ 🙂' }] },
      }),
    ],
  ]
  for (const [name, r] of cases) {
    it(`find the authenticity exactly: ${name}`, () => {
      const text = JSON.stringify(r)
      // Lines sit inside a block: one before, one after.
      const block = Buffer.from(`{"id":"x","ok":false}\n${text}\n{"id":"y"}\n`)
      const from = block.indexOf(0x0a) + 1
      const to = block.indexOf(0x0a, from)
      const [a, b] = authenticitySpan(block, from, to)
      expect(JSON.parse(block.toString('utf8', a, b))).toEqual(r.authenticity)
      const replaced = block.toString('utf8', from, a) + JSON.stringify(other) + block.toString('utf8', b, to)
      expect(replaced).toBe(JSON.stringify({ ...r, authenticity: other }))
    })
  }

  it('refuse a line with no authenticity (an error row)', () => {
    const line = Buffer.from(JSON.stringify({ id: null, ok: false, row: 2, error: { field: 'row', code: 'invalid_json', message: 'bad' } }))
    expect(() => authenticitySpan(line, 0, line.length)).toThrow(/no authenticity/)
  })
})

describe('tallies', () => {
  const rows = [
    result(),
    result({ language: { code: 'it', confidence: 1, source: 'given' }, sentiment: { score: 0.1, label: 'neutral', stars: 3, confidence: 0.2 }, journey: [] }),
    result({ authenticity: { fakeScore: 0.9, verdict: 'likely_fake', signals: [] }, sentiment: { score: 0.7, label: 'positive', stars: 4.5, confidence: 0.9 } }),
  ]
  const errors = Array.from({ length: 7 }, (_, i) => ({ id: i % 2 === 0 ? null : `e${i}`, ok: false as const, row: 10 + i, error: { field: 'text', code: i < 3 ? ('required' as const) : ('invalid_type' as const), message: `m${i}` } }))

  function tallyOf(items: (ReviewResult | (typeof errors)[number])[]): Tally {
    const t = emptyTally()
    for (const item of items) {
      if (item.ok) tallyOk(t, item)
      else tallyError(t, item)
    }
    return t
  }

  it('add up to the tally of all rows, however the rows are cut', () => {
    const all = [...rows, errors[0]!, ...rows, ...errors.slice(1)]
    const whole = tallyOf(all)
    expect(whole.ok).toBe(6)
    expect(whole.errors).toBe(7)
    expect([...whole.languages]).toEqual([['es', 4], ['it', 2]])
    expect(whole.labels).toEqual({ negative: 2, neutral: 2, positive: 2 })
    // -0.41 + 0.1 + 0.7, twice, in thousandths.
    expect(whole.sentiment).toBe(780)
    expect(whole.verdicts).toEqual({ genuine: 4, suspicious: 0, likely_fake: 2 })
    expect(whole.journey.get('delivery')).toEqual({ count: 4, sum: -2000, positive: 0, negative: 4 })
    expect([...whole.journey.keys()]).toEqual(['delivery', 'waiting_time'])
    expect([...whole.errorCodes]).toEqual([['required', 3], ['invalid_type', 4]])
    expect(whole.errorSamples).toEqual(['row 10, field "text": m0', 'row 11 (id e1), field "text": m1', 'row 12, field "text": m2', 'row 13 (id e3), field "text": m3', 'row 14, field "text": m4'])
    for (const cut of [1, 4, 9]) {
      const merged = emptyTally()
      mergeTally(merged, tallyOf(all.slice(0, cut)))
      mergeTally(merged, tallyOf(all.slice(cut)))
      expect(merged).toEqual(whole)
      expect([...merged.languages.keys()]).toEqual([...whole.languages.keys()])
    }
  })

  it('give the summary the averages JourneyAggregate gives, exact to the half', () => {
    const scored = (score: number, tag: number): ReviewResult =>
      result({
        sentiment: { score, label: 'negative', stars: 1, confidence: 1 },
        journey: [{ stage: 'usage', confidence: 1, evidence: [], spans: [], sentiment: { score: tag, label: 'negative' } }],
      })
    const items = [scored(-0.999, -0.999), scored(-0.81, -0.81), scored(0.2, 0.1), scored(0.301, 0.2)]
    const builder = new SummaryBuilder(['usage'], { format: 'jsonl' }, performance.now(), { rating: { min: 1, max: 5 }, ces: { min: 1, max: 7 }, csat: { min: 1, max: 5 } })
    for (const item of items) {
      const t = emptyTally()
      tallyOk(t, item)
      builder.add(t)
    }
    const summary = builder.finish(new FieldResolver({}), { products: [], duplicateClusters: 0, bursts: 0 }, 0, false, 0, 0)
    const agg = new JourneyAggregate(['usage'])
    for (const item of items) agg.add(item.journey)
    expect(summary.journey).toEqual(agg.toJSON())
    // (-999 - 810 + 100 + 200) / 4 = -377.25 thousandths; (-999 - 810 + 200 + 301) / 4 = -327.
    expect(summary.journey.usage!.averageSentiment).toBe(-0.377)
    expect(summary.sentiment.average).toBe(-0.327)
  })

  it('survive a structured clone (the way from a worker)', () => {
    const t = tallyOf([...rows, ...errors])
    expect(structuredClone(t)).toEqual(t)
  })
})

describe('Spill', () => {
  /** Metas are lists of names, joined by appending. */
  const joinMetas = (into: string[], next: string[]) => void into.push(...next)

  async function roundTrip(
    limit: number,
    line = (c: number, i: number) => `chunk ${c} line ${i} ñ`,
    groupBytes = 0,
  ): Promise<{ lines: string[]; onDisk: boolean; metas: (string | null)[]; pieces: number[] }> {
    const spill = new Spill<string[]>(joinMetas, limit, groupBytes)
    for (let c = 0; c < 5; c++) spill.append(Buffer.from(Array.from({ length: 7 }, (_, i) => `${line(c, i)}\n`).join('')), [`meta ${c}`])
    const lines: string[] = []
    const metas: (string | null)[] = []
    const pieces: number[] = []
    for await (const { bytes, meta } of spill.blocks()) {
      expect(bytes[bytes.length - 1]).toBe(0x0a)
      const got = bytes.toString('utf8').split('\n').slice(0, -1)
      lines.push(...got)
      pieces.push(got.length)
      metas.push(meta === null ? null : meta.join('+'))
    }
    const onDisk = spill.onDisk
    await spill.dispose()
    return { lines, onDisk, metas, pieces }
  }

  it('gives the lines back in order from memory and from disk', async () => {
    const memory = await roundTrip(1 << 20)
    const disk = await roundTrip(50)
    expect(memory.onDisk).toBe(false)
    expect(disk.onDisk).toBe(true)
    expect(memory.lines).toHaveLength(35)
    expect(disk.lines).toEqual(memory.lines)
    expect(memory.lines[8]).toBe('chunk 1 line 1 ñ')
    // One block per append, with its meta.
    for (const run of [memory, disk]) {
      expect(run.pieces).toEqual([7, 7, 7, 7, 7])
      expect(run.metas).toEqual(['meta 0', 'meta 1', 'meta 2', 'meta 3', 'meta 4'])
    }
  })

  it('joins runs into blocks of up to groupBytes, their metas joined', async () => {
    // Each run is 7 lines of 18 bytes (126): two fit in 260 bytes, three do not.
    for (const limit of [1 << 20, 50]) {
      const run = await roundTrip(limit, undefined, 260)
      expect(run.lines).toHaveLength(35)
      expect(run.pieces).toEqual([14, 14, 7])
      expect(run.metas).toEqual(['meta 0+meta 1', 'meta 2+meta 3', 'meta 4'])
    }
  })

  it('gives back a run of no bytes with its meta, from memory and from disk', async () => {
    for (const limit of [1 << 20, 0]) {
      const spill = new Spill<string[]>(joinMetas, limit, 0)
      spill.append(Buffer.from(''), ['a'])
      spill.append(Buffer.from('x\n'), ['b'])
      spill.append(Buffer.from(''), ['c'])
      const got: [string, string | undefined][] = []
      for await (const { bytes, meta } of spill.blocks()) got.push([bytes.toString(), meta?.join('+')])
      expect(got).toEqual([['', 'a'], ['x\n', 'b'], ['', 'c']])
      expect(spill.onDisk).toBe(limit === 0)
      await spill.dispose()
    }
  })

  it('reads back lines longer than its read buffer whole', async () => {
    // 1.5 MB lines: longer than the 1 MB the spill reads at a time.
    const long = (c: number, i: number) => `${c}:${i}:${(i === 3 ? 'é' : 'x').repeat(750_000)}`
    const disk = await roundTrip(50, long)
    expect(disk.onDisk).toBe(true)
    expect(disk.lines).toHaveLength(35)
    disk.lines.forEach((l, k) => expect(l).toBe(long(Math.floor(k / 7), k % 7)))
    // Each 10 MB block comes back in pieces of whole lines, its meta with the last.
    let lines = 0
    let block = 0
    disk.pieces.forEach((n, k) => {
      lines += n
      expect(n).toBeGreaterThan(0)
      expect(disk.metas[k]).toBe(lines === 7 * (block + 1) ? `meta ${block++}` : null)
    })
    expect(block).toBe(5)
    expect(disk.pieces.length).toBeGreaterThan(5)
  })

  it('reads back short lines of a block longer than its read buffer in pieces', async () => {
    const mid = (c: number, i: number) => `${c}:${i}:${'y'.repeat(300_000 + i)}`
    const disk = await roundTrip(50, mid)
    disk.lines.forEach((l, k) => expect(l).toBe(mid(Math.floor(k / 7), k % 7)))
    expect(disk.metas.filter((m) => m !== null)).toEqual(['meta 0', 'meta 1', 'meta 2', 'meta 3', 'meta 4'])
    expect(Math.max(...disk.pieces)).toBeLessThan(7)
  })

  it('say which temporary folder they could not use, and what to do', () => {
    const before = process.env.TMPDIR
    process.env.TMPDIR = join(tmpdir(), 'recensio-test-no-such-folder')
    try {
      const spill = new Spill<number>(() => {}, 0, 0)
      expect(() => spill.append(Buffer.from('one\n'), 1)).toThrow(/^cannot make a temporary file in .*recensio-test-no-such-folder \(no such folder\): .*set TMPDIR to a writable folder$/)
      expect(() => new ChunkFile().put(Uint8Array.of(1))).toThrow(RecensioError)
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
    }
  })

  it('leave no name in the temporary folder, even while they hold results (a killed run leaves nothing)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'recensio-test-'))
    const before = process.env.TMPDIR
    process.env.TMPDIR = folder
    try {
      const spill = new Spill<number>(() => {}, 10, 0)
      const state = new ChunkFile()
      spill.append(Buffer.from('one\ntwo\n'), 1)
      spill.append(Buffer.from('three\n'), 2)
      const key = state.put(Uint8Array.of(1, 2, 3))
      expect(spill.onDisk).toBe(true)
      expect(readdirSync(folder)).toEqual([])
      const back = new Uint8Array(3)
      state.get(key, back)
      expect([...back]).toEqual([1, 2, 3])
      const lines: string[] = []
      for await (const { bytes } of spill.blocks()) lines.push(bytes.toString())
      expect(lines).toEqual(['one\ntwo\n', 'three\n'])
      await spill.dispose()
      state.dispose()
      expect(readdirSync(folder)).toEqual([])
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
