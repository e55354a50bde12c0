/**
 * JsonToCsv, the scanner behind `analyze --format csv`: on recensio's own
 * output lines (every dev corpus, the sample dump, odd kept values) and on
 * hostile lines made for it, it gives `csvLine(JSON.parse(line), keep)` byte
 * for byte, and reads recensio's lines itself rather than through JSON.parse.
 */
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DATA_DIR, hasDevData } from '../benchmarks/authenticity/corpus.js'
import { Engine } from '../src/batch/engine.js'
import { openInputs } from '../src/batch/file.js'
import { ObjectSource, type Source } from '../src/batch/source.js'
import { csvLine } from '../src/cli/csv-output.js'
import { JsonToCsv } from '../src/cli/json-to-csv.js'
import { type Options, type ResultRow, resolveOptions } from '../src/review/index.js'
import { SIGNAL_TYPES } from '../src/review/types.js'
import { prng, root, syntheticRows } from './batch-util.js'

/** The output blocks of a batch, as the CLI's write gets them. */
async function outputBlocks(open: (resolved: ReturnType<typeof resolveOptions>) => Promise<Source> | Source, options: Options): Promise<Buffer[]> {
  const resolved = resolveOptions({ workers: 0, ...options })
  const engine = new Engine(await open(resolved), resolved)
  const blocks: Buffer[] = []
  for await (const batch of engine.batches()) blocks.push(Buffer.from(batch.bytes))
  return blocks
}

/** What the write did before the scanner: each line parsed and given to csvLine. */
function objectPath(block: Buffer, keep: readonly string[]): string {
  const lines = block.toString('utf8').split('\n')
  lines.pop()
  return lines.map((l) => `${csvLine(JSON.parse(l) as ResultRow, keep)}\n`).join('')
}

/** The first row's keys of a JSON Lines file, and keys no row has (some an object inherits). */
function keepFor(path: string): string[] {
  const first = JSON.parse(readFileSync(path, 'utf8').split('\n', 1)[0]!) as Record<string, unknown>
  return [...Object.keys(first), '__proto__', 'constructor', 'toString', 'no_such_key']
}

interface Case {
  name: string
  keep: string[]
  blocks: Buffer[]
}

const dev = hasDevData()
const CORPORA = ['amazon_verified', 'fake_generated', 'journey_dev', 'opspam', 'sentiment_en', 'sentiment_es', 'sentiment_it']
/** A taxonomy of the README's kind: ids with `_` and `-`, one of them a default stage's. */
const TAXONOMY = {
  mode: 'extend' as const,
  stages: [
    { id: 'waiting_time', cues: { en: ['wait*', 'queue'], es: ['esper*'], it: ['attes*'] } },
    { id: 'price-value', label: 'Price "and" value', cues: { en: ['price', 'cheap'], es: ['precio'], it: ['prezzo'] } },
    { id: 'support', cues: { en: ['refund*'] } },
  ],
}

const cases: Case[] = []
beforeAll(async () => {
  const sample = join(root, 'data/sample/reviews.jsonl')
  const inputs: { path: string; options: Options }[] = [{ path: sample, options: { keep: keepFor(sample) } }]
  if (dev) {
    for (const [i, stem] of CORPORA.entries()) {
      const path = join(DATA_DIR, `${stem}.jsonl`)
      // One corpus with explain's evidence in the sentiment, one with a taxonomy of its own.
      const options: Options = { keep: keepFor(path), ...(i === 0 ? { explain: true } : {}), ...(i === 3 ? { taxonomy: TAXONOMY } : {}) }
      inputs.push({ path, options })
    }
  }
  for (const { path, options } of inputs) {
    cases.push({ name: basename(path), keep: [...(options.keep ?? [])], blocks: await outputBlocks((resolved) => openInputs([path], resolved), options) })
  }
}, 300_000)

describe('JsonToCsv on recensio output lines', () => {
  it('gives csvLine’s bytes for every line of the sample dump and the dev corpora, with --keep of their keys', () => {
    expect(cases.length).toBe(dev ? 1 + CORPORA.length : 1)
    for (const { name, keep, blocks } of cases) {
      const scanner = new JsonToCsv(keep)
      for (const block of blocks) expect(scanner.lines(block), name).toBe(objectPath(block, keep))
    }
  })

  it('reads all those lines itself, none through JSON.parse', () => {
    for (const { name, keep, blocks } of cases) {
      const scanner = new JsonToCsv(keep)
      for (const block of blocks) scanner.lines(block)
      expect(scanner.fallbacks, name).toBe(0)
    }
  })

  it('reads the sample dump’s rows with batch signals and its error rows', () => {
    const sample = cases[0]!
    const text = Buffer.concat(sample.blocks).toString('utf8')
    // The planted copies and burst: their authenticity is the one the cross-review pass re-made.
    expect(text).toMatch(/"type":"duplicate"/)
    expect(text).toMatch(/"type":"burst"/)
    expect(text).toMatch(/"ok":false/)
  })

  it('gives csvLine’s bytes for kept values of every kind (bigint, objects, __proto__ keys, quotes, newlines, formulas)', async () => {
    const odd: unknown[] = [
      12345678901234567890n,
      { a: 1, nested: { b: [1, 'x', null] }, 'k"ey': 'v\n' },
      JSON.parse('{"__proto__":{"x":1},"constructor":"c"}'),
      ['=1+1', '@x', { y: '-2' }],
      '=HYPERLINK("http://x.example")',
      ' padded ',
      'line\nbreak, "quoted"',
      '＝full width',
      '\u2028\u2029\ufeff',
      '😊 émoji ñ',
      -0,
      1e21,
      0.1 + 0.2,
      Number.NaN,
      true,
      null,
      undefined,
      new Date(Date.UTC(2024, 2, 5)),
      '',
    ]
    const keep = ['order', '__proto__', 'constructor', 'toString', '10', '2', 'a.b', 'clé', '😊']
    const rows = syntheticRows(400, 11).map((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return row
      const out = row as Record<string, unknown>
      keep.forEach((key, k) => Object.defineProperty(out, key, { value: odd[(i + k) % odd.length], enumerable: true, writable: true, configurable: true }))
      return out
    })
    const blocks = await outputBlocks(() => new ObjectSource(rows, 64), { keep })
    const scanner = new JsonToCsv(keep)
    for (const block of blocks) expect(scanner.lines(block)).toBe(objectPath(block, keep))
    expect(scanner.fallbacks).toBe(0)
  })
})

// Hostile lines: made by JSON.stringify in recensio's layout, with every value one the scanner must not misread.

const PIECES = [
  'a', 'Z', '7', ' ', ',', ';', ':', '|', '"', '\\', '/', "'", '{', '}', '[', ']',
  '\b', '\f', '\n', '\r', '\t', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085',
  'é', 'ñ', 'ß', '中', '😊', '👍🏽', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u3000', '\ud800', '\udfff',
  '=', '+', '-', '@', '＝', '＋', '－', '＠',
  ',"sentiment":{"score":', ',"label":"x"}}', '"}],"authenticity":{', ',"fields":{', '\\u0041', 'null', 'true', '1e21',
]
const NUMBERS = [0, -0, 1, -1.5, 0.291, 1e21, 1e-7, 2.15, 123456789012345680000, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY]

function pick<T>(rand: () => number, from: readonly T[]): T {
  return from[Math.floor(rand() * from.length)]!
}

function hostileString(rand: () => number, most = 8): string {
  let s = ''
  for (let n = Math.floor(rand() * (most + 1)); n > 0; n--) s += pick(rand, PIECES)
  return s
}

function hostileValue(rand: () => number, depth = 0): unknown {
  const kind = Math.floor(rand() * (depth > 2 ? 5 : 7))
  if (kind === 0) return hostileString(rand)
  if (kind === 1) return pick(rand, NUMBERS)
  if (kind === 2) return rand() < 0.5
  if (kind === 3) return null
  if (kind === 4) return String(BigInt(Math.floor(rand() * 1e15)) * 100_000n)
  if (kind === 5) return Array.from({ length: Math.floor(rand() * 3) }, () => hostileValue(rand, depth + 1))
  const obj: Record<string, unknown> = {}
  for (let n = Math.floor(rand() * 3); n > 0; n--) {
    const key = rand() < 0.3 ? pick(rand, ['__proto__', 'constructor', '10', '2', 'x']) : hostileString(rand, 3)
    Object.defineProperty(obj, key, { value: hostileValue(rand, depth + 1), enumerable: true, writable: true, configurable: true })
  }
  return obj
}

const KEEP = ['order', ' spaced ', 'a"b', 'line\nbreak', 'clé', '😊', '__proto__', 'constructor', '10', '2', 'a.b', 'order']

function fieldsFor(rand: () => number, keep: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const key of keep) Object.defineProperty(fields, key, { value: hostileValue(rand), enumerable: true, writable: true, configurable: true })
  return fields
}

function hostileResult(rand: () => number, row: number, keep: readonly string[]): Record<string, unknown> {
  const label = () => pick(rand, ['negative', 'neutral', 'positive', hostileString(rand, 3)])
  const sentiment: Record<string, unknown> = { score: pick(rand, NUMBERS), label: label(), stars: pick(rand, NUMBERS), confidence: pick(rand, NUMBERS) }
  if (rand() < 0.2) sentiment.explain = [{ field: 'text', start: 0, end: 3, text: hostileString(rand), weight: -0.5 }]
  const journey = Array.from({ length: Math.floor(rand() * 4) }, () => ({
    stage: pick(rand, ['usage', 'delivery', 'waiting_time', 'a-b', hostileString(rand, 4)]),
    confidence: pick(rand, NUMBERS),
    evidence: Array.from({ length: Math.floor(rand() * 3) }, () => hostileString(rand)),
    spans: [{ field: pick(rand, ['text', 'title', 'pros', 'cons']), start: 1, end: 9 }],
    sentiment: { score: pick(rand, NUMBERS), label: label() },
  }))
  const signals = Array.from({ length: Math.floor(rand() * 3) }, () => {
    const signal: Record<string, unknown> = { type: pick(rand, SIGNAL_TYPES), strength: pick(rand, NUMBERS), reason: hostileString(rand, 12) }
    if (rand() < 0.4) signal.related = [hostileString(rand), hostileString(rand)]
    if (rand() < 0.3) signal.window = { start: '2024-01-01', end: '2024-01-02' }
    if (rand() < 0.3) signal.phrase = hostileString(rand)
    if (rand() < 0.3) Object.assign(signal, { cluster: 'c1', similarity: 0.9, count: 3, expected: 0.5 })
    return signal
  })
  const result: Record<string, unknown> = {
    id: hostileString(rand),
    ok: true,
    row,
    language: { code: pick(rand, ['es', 'it', 'en', 'und']), confidence: pick(rand, NUMBERS), source: 'detected' },
    sentiment,
    journey,
    authenticity: { fakeScore: pick(rand, NUMBERS), verdict: pick(rand, ['genuine', 'suspicious', 'likely_fake']), signals },
    rating: rand() < 0.2 ? null : pick(rand, NUMBERS),
    date: rand() < 0.3 ? null : hostileString(rand, 3),
  }
  if (rand() < 0.3) result.dayless = true
  if (rand() < 0.7) result.product = hostileString(rand)
  if (rand() < 0.7) result.author = hostileString(rand)
  if (rand() < 0.3) result.channel = hostileString(rand)
  if (rand() < 0.3) result.segment = hostileString(rand)
  if (rand() < 0.3) result.survey = { nps: 9, csat: 4 }
  if (rand() < 0.3) result.warnings = [hostileString(rand)]
  if (keep.length > 0) result.fields = fieldsFor(rand, keep)
  return result
}

function hostileError(rand: () => number, row: number, keep: readonly string[]): Record<string, unknown> {
  const error: Record<string, unknown> = {
    id: rand() < 0.3 ? null : hostileString(rand),
    ok: false,
    row,
    error: { field: hostileString(rand, 3), code: pick(rand, ['required', 'invalid_json', 'too_big']), message: hostileString(rand, 12) },
  }
  if (keep.length > 0 && rand() < 0.7) error.fields = fieldsFor(rand, keep)
  return error
}

/** Blocks of hostile lines in recensio's layout (fixed seed). */
function hostileBlocks(seed: number, keep: readonly string[]): Buffer[] {
  const rand = prng(seed)
  const blocks: Buffer[] = []
  for (let b = 0; b < 20; b++) {
    const lines: string[] = []
    for (let i = 0; i < 100; i++) lines.push(JSON.stringify(rand() < 0.15 ? hostileError(rand, i + 1, keep) : hostileResult(rand, i + 1, keep)))
    blocks.push(Buffer.from(`${lines.join('\n')}\n`))
  }
  return blocks
}

describe('JsonToCsv on hostile lines', () => {
  it('gives csvLine’s bytes for lines with every JSON escape, unicode, emoji, nested kept values and odd stage names', () => {
    for (const keep of [KEEP, []]) {
      const scanner = new JsonToCsv(keep)
      for (const block of hostileBlocks(7, keep)) expect(scanner.lines(block)).toBe(objectPath(block, keep))
    }
  })

  it('reads those lines itself, none through JSON.parse', () => {
    const scanner = new JsonToCsv(KEEP)
    for (const block of hostileBlocks(7, KEEP)) scanner.lines(block)
    expect(scanner.fallbacks).toBe(0)
  })

  it('gives csvLine’s bytes for lines in another layout, through JSON.parse', () => {
    const rand = prng(3)
    const lines = [
      // Keys moved, a member added, a key written with an escape, a space.
      (() => {
        const { rating, ...rest } = hostileResult(rand, 1, KEEP)
        return JSON.stringify({ rating, ...rest })
      })(),
      JSON.stringify({ ...hostileResult(rand, 2, KEEP), language: { source: 'given', code: 'es', confidence: 1 } }),
      JSON.stringify({ ...hostileResult(rand, 3, []), extra: 1 }),
      JSON.stringify(hostileResult(rand, 4, [])).replace('"id":', '"\\u0069d":'),
      JSON.stringify(hostileError(rand, 6, [])).replace(/,"ok":false/, ', "ok": false'),
      // A kept key the fields lack: csvLine reads the object's own, or nothing.
      JSON.stringify({ ...hostileResult(rand, 7, ['order']), fields: {} }),
    ]
    const block = Buffer.from(`${lines.join('\n')}\n`)
    const scanner = new JsonToCsv(['order'])
    expect(scanner.lines(block)).toBe(objectPath(block, ['order']))
    expect(scanner.fallbacks).toBe(lines.length)
  })

  it('writes a number JSON.stringify would write otherwise (5.0, 1E2, -0, 0.10) as csvLine does', () => {
    const numbers = ['5.0', '1E2', '1e2', '-0', '0.10', '1e-7', '0.0000001', '1.5e+21', '12345678901234567', '1e400', '0.000001', '100000000000000000000']
    const lines = numbers.map((n) => `{"id":"x","ok":false,"row":${n},"error":{"field":"a","code":"b","message":"c"},"fields":{"n":${n}}}`)
    const block = Buffer.from(`${lines.join('\n')}\n`)
    const scanner = new JsonToCsv(['n'])
    expect(scanner.lines(block)).toBe(objectPath(block, ['n']))
    expect(scanner.fallbacks).toBe(0)
  })

  it('throws what csvLine throws for a line it cannot write', () => {
    const line = JSON.stringify({ id: 'x', ok: true, row: 1 })
    expect(() => new JsonToCsv([]).lines(Buffer.from(`${line}\n`))).toThrow(TypeError)
  })
})
