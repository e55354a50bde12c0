/**
 * The library API as a new user meets it: what the README's "API" section
 * promises, called the way its examples suggest, including the mistakes users
 * make (bad answers, a signal aborted before the run, rows with other keys).
 */
import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import { Readable } from 'node:stream'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { RecensioError, analyze, analyzeBatch, analyzeFile, csat, customerEffortScore, netPromoterScore } from '../src/index.js'

const root = resolve(import.meta.dirname, '..')

/**
 * Type-check `code` as a user's file next to the tests, with the repo's strict
 * tsconfig, importing the public entry as `../src/index.js`.
 *
 * @returns The messages of the errors in that file (`line: message`).
 */
function typeErrors(code: string): string[] {
  const file = resolve(root, 'test/__user-code__.ts')
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root)
  const host = ts.createCompilerHost(config.options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, version, ...rest) =>
    resolve(name) === file ? ts.createSourceFile(name, code, version) : getSourceFile(name, version, ...rest)
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => resolve(name) === file || fileExists(name)
  const program = ts.createProgram([file], { ...config.options, noEmit: true }, host)
  const source = program.getSourceFile(file)!
  return ts.getPreEmitDiagnostics(program, source).map((d) => {
    const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1
    return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
  })
}

/** The RecensioError `fn` throws (fails the test when it throws nothing or something else). */
function thrown(fn: () => unknown): RecensioError {
  try {
    fn()
  } catch (error) {
    if (error instanceof RecensioError) return error
    throw error
  }
  throw new Error('expected a RecensioError, nothing was thrown')
}

describe('CX formulas on survey answers', () => {
  it('netPromoterScore refuses an answer off 0–10 instead of counting it', () => {
    const e = thrown(() => netPromoterScore([10, 11]))
    expect(e.code).toBe('out_of_range')
    expect(e.message).toBe('netPromoterScore: answers[1]: expected a number on 0–10, got 11')
    expect(e.issues).toEqual([{ field: 'answers.1', code: 'out_of_range', message: e.message }])
  })

  it('netPromoterScore refuses NaN and numeric strings (NaN used to count as a detractor)', () => {
    expect(thrown(() => netPromoterScore([9, Number.NaN])).code).toBe('invalid_type')
    expect(thrown(() => netPromoterScore(['9' as unknown as number])).message).toBe(
      'netPromoterScore: answers[0]: expected a number on 0–10, got "9"',
    )
  })

  it('netPromoterScore says what it wanted when not given a list', () => {
    expect(thrown(() => netPromoterScore(5 as unknown as number[])).message).toBe(
      'netPromoterScore: answers: expected an array (or iterable) of numbers, got 5',
    )
  })

  it('csat refuses an answer above its scale and a reversed scale', () => {
    expect(thrown(() => csat([5, 6])).message).toBe('csat: answers[1]: expected a number on 1–5, got 6')
    expect(thrown(() => csat([5], { min: 5, max: 1 })).message).toBe(
      'csat: scale: expected { min, max } with min < max, e.g. { min: 1, max: 5 }, got { min: 5, max: 1 }',
    )
    expect(thrown(() => csat([5], { min: 1, max: 7, step: 1 } as never)).message).toBe('csat: scale: unknown key "step": a scale is { min, max }')
    expect(thrown(() => customerEffortScore([5], { min: 1, max: 7, maxx: 5, labels: [] } as never)).message).toBe(
      'customerEffortScore: scale: unknown keys "maxx", "labels": a scale is { min, max }',
    )
  })

  it('customerEffortScore refuses an unknown direction and an answer off the scale', () => {
    expect(thrown(() => customerEffortScore([1], undefined, 'up' as 'lower_is_easier')).code).toBe('invalid_option')
    expect(thrown(() => customerEffortScore([0, 8], { min: 1, max: 7 })).message).toBe(
      'customerEffortScore: answers[0]: expected a number on 1–7, got 0',
    )
  })

  it('still takes any iterable of valid answers', () => {
    expect(netPromoterScore(new Set([10, 9, 3])).score).toBe(33.3)
    expect(csat((function* () { yield 4; yield 2 })()).share).toBe(0.5)
    expect(customerEffortScore([7, 1, 4]).mean).toBe(4)
  })
})

describe('analyze() types for rows with other keys', () => {
  it('accepts a row named with map and a row with fields to keep, and still catches typos', () => {
    const errors = typeErrors(`import { analyze } from '../src/index.js'
interface ExportRow { reviewText: string; overall: number }
const row: ExportRow = { reviewText: 'Terrible', overall: 1 }
analyze(row, { map: { text: 'reviewText', rating: 'overall' } })
analyze({ reviewText: 'Terrible', stars: 1 }, { map: { text: 'reviewText', rating: 'stars' } })
analyze({ text: 'ok', order_id: 'o1' }, { keep: ['order_id'] })
const r = analyze({ text: 'ok', rating: 4 })
const score: number = r.sentiment.score
analyze({ txt: 'no map, so a typo' })
analyze({ text: 5 })
r.sentimnt
`)
    expect(errors.map((e) => e.split(':')[0])).toEqual(['9', '10', '11'])
  })
})

describe('analyze() types for 64-bit ids', () => {
  it('takes a bigint id, author and product, as a database driver returns them, and keeps their digits', () => {
    const errors = typeErrors(`import { analyze } from '../src/index.js'
import type { ReviewInput } from '../src/index.js'
interface Row { id: bigint; body: string; user_id: bigint; product_id: bigint }
const row: Row = { id: 12345678901234567891n, body: 'Muy bueno', user_id: 9007199254740993n, product_id: 1n }
const review: ReviewInput = { id: row.id, text: row.body, author: row.user_id, product: row.product_id }
analyze(review)
`)
    expect(errors).toEqual([])
    const r = analyze({ id: 12345678901234567891n, text: 'Muy bueno', author: 9007199254740993n, product: 1n })
    expect([r.id, r.author, r.product]).toEqual(['12345678901234567891', '9007199254740993', '1'])
    // An error row names the review by the same digits.
    expect(() => analyze({ id: 12345678901234567891n, text: 'Muy bueno', rating: 9 })).toThrow(/^Invalid review \(id 12345678901234567891\), field "rating"/)
  })
})

describe('types named in the public signatures', () => {
  it('can be imported by name', () => {
    const errors = typeErrors(`import { csat, customerEffortScore, parseTaxonomy } from '../src/index.js'
import type { AuthenticitySummary, BatchSummary, CesDirection, FieldMap, GroupMetrics, MetricScale, ProductAuthenticity, Report, StageReport, Taxonomy } from '../src/index.js'
const scale: MetricScale = { min: 1, max: 7 }
const direction: CesDirection = 'lower_is_easier'
customerEffortScore([1], scale, direction)
csat([5], scale)
const taxonomy: Taxonomy = parseTaxonomy({ stages: [{ id: 'queue', cues: { en: ['queue'] } }] })
const map: FieldMap = { text: 'reviewText' }
const products = (s: BatchSummary): ProductAuthenticity[] => s.authenticity.products
const auth = (s: BatchSummary): AuthenticitySummary => s.authenticity
const stages = (r: Report): StageReport[] => r.stages
const overall = (r: Report): GroupMetrics => r.overall
export { taxonomy, map, products, auth, stages, overall }
`)
    expect(errors).toEqual([])
  })

  it('include the types of option values and of the summary files', () => {
    const errors = typeErrors(`import { analyze } from '../src/index.js'
import type { BatchSummary, DateOrder, InputFile, Lang, OtherDateOrder, RelativeDates, Scale } from '../src/index.js'
const ratingScale: Scale = { min: 0, max: 10 }
const dateOrder: DateOrder = 'dmy'
const lang: Lang = 'it'
analyze({ text: 'Ottimo', rating: 9 }, { ratingScale, dateOrder, lang })
const files = (s: BatchSummary): InputFile[] => s.input.files ?? []
const flipped = (s: BatchSummary): OtherDateOrder | undefined => s.otherDateOrder
const relative = (s: BatchSummary): RelativeDates | undefined => s.relativeDates
const bad: Lang = 'fr'
export { files, flipped, relative, bad }
`)
    expect(errors.map((e) => e.split(':')[0])).toEqual(['10'])
  })
})

describe('a signal aborted before the run', () => {
  const sample = resolve(root, 'data/sample/reviews.jsonl')

  it('analyzeFile yields no row and says the run was aborted', async () => {
    const run = analyzeFile(sample, { signal: AbortSignal.abort() })
    let rows = 0
    for await (const _ of run) rows++
    expect(rows).toBe(0)
    expect(run.summary()).toMatchObject({ rows: 0, aborted: true, input: { format: 'jsonl' } })
  })

  it('analyzeBatch yields no row either', async () => {
    const run = analyzeBatch([{ text: 'Muy bueno' }, { text: 'Pésimo' }], { signal: AbortSignal.abort() })
    let rows = 0
    for await (const _ of run) rows++
    expect(rows).toBe(0)
    expect(run.summary()).toMatchObject({ rows: 0, aborted: true })
  })

  it('a signal that never fires reads every row', async () => {
    const run = analyzeFile(sample, { signal: new AbortController().signal })
    let rows = 0
    for await (const _ of run) rows++
    expect(rows).toBe(300)
    expect(run.summary()).toMatchObject({ rows: 300, aborted: false })
  })
})

describe('option errors', () => {
  it('name an unknown option in the issue field, top-level and nested', () => {
    const e = thrown(() => analyze('Muy bueno', { explian: true, langauge: 'es', map: { txt: 'body' } } as never))
    expect(e.message).toBe('Invalid options: option "map": unknown field "txt" (fields: id, text, title, rating, date, author, product, verified, lang, channel, segment, nps, ces, csat, pros, cons); unknown options "explian", "langauge"')
    expect(e.issues).toEqual([
      { field: 'map.txt', code: 'invalid_option', message: 'option "map": unknown field "txt" (fields: id, text, title, rating, date, author, product, verified, lang, channel, segment, nps, ces, csat, pros, cons)' },
      { field: 'explian', code: 'invalid_option', message: 'unknown option "explian"' },
      { field: 'langauge', code: 'invalid_option', message: 'unknown option "langauge"' },
    ])
  })
})

describe('analyze arguments', () => {
  it('says what analyze takes, not which batch field was wrong, when given neither an object nor a string', () => {
    const e = thrown(() => analyze(undefined as unknown as string))
    expect(e.code).toBe('invalid_row')
    expect(e.message).toBe('analyze: expected a review object or a text string, got undefined')
    expect(e.issues).toEqual([{ field: 'review', code: 'invalid_row', message: e.message }])
    expect(thrown(() => analyze(null as unknown as string)).message).toMatch(/, got null$/)
    expect(thrown(() => analyze(42 as unknown as string)).message).toMatch(/, got 42$/)
    expect(thrown(() => analyze([] as unknown as object, { keep: ['x'] })).message).toMatch(/, got an array$/)
  })
})

describe('analyzeBatch arguments', () => {
  it('throws a RecensioError that says what it got when rows are not iterable', () => {
    const e = thrown(() => analyzeBatch(5 as unknown as Iterable<unknown>))
    expect(e.code).toBe('invalid_row')
    expect(e.message).toBe('analyzeBatch: expected an Iterable or AsyncIterable of review objects, got 5')
    expect(thrown(() => analyzeBatch(null as unknown as Iterable<unknown>)).message).toMatch(/, got null$/)
  })

  it('refuses a file path, a string being iterable by character, in its type and at run time', () => {
    expect(thrown(() => analyzeBatch('reviews.jsonl' as never)).message).toBe(
      'analyzeBatch: expected an Iterable or AsyncIterable of review objects, got "reviews.jsonl": to read a file, call analyzeFile with its path',
    )
    const errors = typeErrors(`import { analyzeBatch } from '../src/index.js'
analyzeBatch([{ text: 'Muy bueno' }])
analyzeBatch(new Set([{ text: 'Ottimo' }]))
analyzeBatch((async function* () { yield { text: 'Great' } })())
analyzeBatch('reviews.jsonl')
`)
    expect(errors.map((e) => e.split(':')[0])).toEqual(['5'])
  })

  it('refuses a byte stream, whose chunks would each be a row without text', () => {
    const bytes = createReadStream(resolve(root, 'data/sample/reviews.jsonl'))
    try {
      expect(thrown(() => analyzeBatch(bytes)).message).toBe(
        'analyzeBatch: expected review objects, got a byte stream (a Readable not in object mode): give analyzeFile the file, or parse the stream into objects first',
      )
    } finally {
      bytes.destroy()
    }
  })

  it('still takes a stream of objects', async () => {
    let rows = 0
    for await (const row of analyzeBatch(Readable.from([{ text: 'Muy bueno' }, { text: 'Pésimo' }]), { workers: 0 })) if (row.ok) rows++
    expect(rows).toBe(2)
  })
})

describe('optional arguments under exactOptionalPropertyTypes', () => {
  it('take a value that may be undefined, as the options do', () => {
    const errors = typeErrors(`import { NearDuplicateIndex, analyze, runReport } from '../src/index.js'
export function fromFlags(flags: { out?: string | undefined; json?: string | undefined; quiet?: boolean | undefined; threshold?: number | undefined; lang?: 'es' | 'it' | 'en' | undefined }) {
  void runReport({ input: 'results.jsonl', out: flags.out, json: flags.json, quiet: flags.quiet, groupBy: undefined, map: undefined, options: undefined, report: undefined })
  analyze('Muy bueno', { lang: flags.lang })
  return new NearDuplicateIndex({ threshold: flags.threshold })
}
`)
    expect(errors).toEqual([])
  })
})

describe('a loop left early', () => {
  it('says why there is no summary and how to keep one', async () => {
    const run = analyzeBatch([{ text: 'Muy bueno' }, { text: 'Pésimo' }], { workers: 0 })
    for await (const _ of run) break
    const e = thrown(() => run.summary())
    expect(e.code).toBe('invalid_state')
    expect(e.message).toBe('analyzeBatch: no summary, as the rows were not all read (a loop left early): stop with the signal option to keep one')
  })
})
