/**
 * The batch core through its public API: one output row per input row, in
 * order; bad rows as error rows; CSV and JSONL reading; robustness to broken
 * files; the same bytes for any worker count and chunk size.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { constants, createGzip, gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { Engine, defaultWorkers } from '../src/batch/engine.js'
import { openInput, openInputs } from '../src/batch/file.js'
import { ObjectSource, openStreamSource } from '../src/batch/source.js'
import { wideToUtf8 } from '../src/batch/encoding.js'
import { INVALID_UTF8_WARNING } from '../src/batch/stage.js'
import { offScaleText, otherDateOrderText } from '../src/batch/summary.js'
import { emptyTally, tallyError } from '../src/batch/tally.js'
import { RecensioError, analyzeBatch, analyzeFile } from '../src/index.js'
import type { BatchRun, ErrorRow, Options, Progress, ResultRow, ReviewResult } from '../src/index.js'
import { resolveOptions } from '../src/review/index.js'
import { collect, jsonl, syntheticRows, tempDir, tempFile } from './batch-util.js'

function ok(row: ResultRow | undefined): ReviewResult {
  if (row === undefined || !row.ok) throw new Error(`expected an ok row, got ${JSON.stringify(row)}`)
  return row
}

/** Wide bytes decoded from pieces of three bytes (characters cut anywhere): the text, and the bytes the decoder counted. */
async function decodedInThrees(bytes: Buffer, wide: Parameters<typeof wideToUtf8>[1]): Promise<{ text: string; bytesIn: number }> {
  const pieces: Buffer[] = []
  for (let i = 0; i < bytes.length; i += 3) pieces.push(bytes.subarray(i, i + 3))
  const decoded = wideToUtf8(Readable.from(pieces), wide)
  const out: Buffer[] = []
  for await (const piece of decoded.stream) out.push(piece as Buffer)
  return { text: Buffer.concat(out).toString('utf8'), bytesIn: decoded.bytesIn() }
}

/** `text` as UTF-32 bytes, without a byte order mark. */
function utf32(text: string, littleEndian: boolean): Buffer {
  const codes = Array.from(text, (c) => c.codePointAt(0)!)
  const out = Buffer.alloc(4 * codes.length)
  codes.forEach((c, i) => (littleEndian ? out.writeUInt32LE(c, 4 * i) : out.writeUInt32BE(c, 4 * i)))
  return out
}

function err(row: ResultRow | undefined): ErrorRow {
  if (row === undefined || row.ok) throw new Error(`expected an error row, got ${JSON.stringify(row)}`)
  return row
}

/** An engine's output bytes, as the CLI writes them. */
async function textOf(engine: Engine): Promise<string> {
  let out = ''
  for await (const batch of engine.batches()) out += batch.bytes.toString('utf8')
  return out
}

/** An engine's output rows, parsed. */
async function rowsOf(engine: Engine): Promise<unknown[]> {
  return (await textOf(engine))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown)
}

/** The output bytes of a file run, as the CLI writes them. */
async function outputOf(path: string, options: Parameters<typeof resolveOptions>[0], spillLimit?: number): Promise<string> {
  const resolved = resolveOptions(options)
  return textOf(new Engine(await openInput(path, resolved), resolved, spillLimit === undefined ? {} : { spillLimit }))
}

/** The output of a source, as the CLI writes it. */
async function outputOfSource(source: Awaited<ReturnType<typeof openStreamSource>>): Promise<string> {
  return textOf(new Engine(source, resolveOptions({})))
}

describe('analyzeBatch', () => {
  it('gives one row per input row, in input order, numbered from 1', async () => {
    const rows = syntheticRows(40, 1)
    const out = await collect(analyzeBatch(rows, { workers: 1, chunkSize: 7 }))
    expect(out).toHaveLength(40)
    expect(out.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1))
    for (const [i, r] of out.entries()) {
      const id = (rows[i] as { id?: string }).id
      if (r.ok) expect(r.id).toBe(id)
    }
  })

  it('turns bad rows into error rows naming the row, id and field', async () => {
    const out = await collect(analyzeBatch([{ id: 'a', text: 'Muy bueno' }, { id: 'b', rating: 2 }, 'not an object', { id: 'd', text: 'ok', rating: 'great' }]))
    expect(out.map((r) => r.ok)).toEqual([true, false, false, false])
    expect(err(out[1])).toMatchObject({ id: 'b', row: 2, error: { field: 'text', code: 'required' } })
    expect(err(out[2])).toMatchObject({ id: null, row: 3, error: { field: 'row', code: 'invalid_row' } })
    expect(err(out[3])).toMatchObject({ id: 'd', row: 4, error: { field: 'rating' } })
  })

  it('makes a row whose getter throws, or a Proxy that throws, an error row and goes on', async () => {
    const getter = { id: 'g', get text(): string { throw new Error('boom') } }
    const proxy = new Proxy({ id: 'p', text: 'hola' }, { get: () => { throw new Error('proxy boom') } })
    const rows = Array.from({ length: 9 }, (_, i): unknown => (i === 3 ? getter : i === 6 ? proxy : { id: `r${i + 1}`, text: 'Muy bueno, lo recomiendo.' }))
    // In this thread, and with workers, to which such rows cannot be sent.
    for (const options of [{ workers: 0 }, { workers: 2, chunkSize: 2 }]) {
      const run = analyzeBatch(rows, options)
      const out = await collect(run)
      expect(out.map((r) => r.row)).toEqual(rows.map((_, i) => i + 1))
      expect(err(out[3])).toMatchObject({ id: 'g', row: 4, error: { field: 'text', code: 'invalid_value', message: 'expected a value, but reading "text" threw Error: boom' } })
      expect(err(out[6])).toMatchObject({ id: null, row: 7, error: { field: 'id', code: 'invalid_value', message: 'expected a value, but reading "id" threw Error: proxy boom' } })
      expect(run.summary()).toMatchObject({ rows: 9, ok: 7, errors: 2, errorCodes: { invalid_value: 2 } })
    }
  })

  it('makes a row whose kept value JSON cannot hold an error row naming the key, in any thread', async () => {
    const loop: Record<string, unknown> = { n: 1 }
    loop.self = loop
    const rows = [
      { id: 'a', text: 'Muy bueno', order: loop },
      { id: 'b', text: 'Muy bueno', order: 'B-2' },
      { id: 'c', text: 'Muy bueno', order: 12345678901234567891n },
      { id: 'd', text: 'Muy bueno', order: { n: 1n } },
    ]
    for (const options of [{ workers: 0 }, { workers: 2, chunkSize: 1 }]) {
      const run = analyzeBatch(rows, { ...options, keep: ['order'] })
      const out = await collect(run)
      expect(err(out[0])).toEqual({ id: 'a', ok: false, row: 1, error: { field: 'order', code: 'invalid_value', message: 'expected a value JSON can hold, but writing it threw TypeError: Converting circular structure to JSON' } })
      expect(ok(out[1]).fields).toEqual({ order: 'B-2' })
      // A bigint (a database driver's 64-bit order id) is kept by its digits, alone or inside an object.
      expect(ok(out[2]).fields).toEqual({ order: '12345678901234567891' })
      expect(ok(out[3]).fields).toEqual({ order: { n: '1' } })
      expect(run.summary()).toMatchObject({ rows: 4, ok: 3, errors: 1, errorCodes: { invalid_value: 1 } })
    }
  })

  it('says the run failed, not that a loop left early, when the input throws', async () => {
    async function* rows() {
      yield { id: 'a', text: 'Muy bueno' }
      throw new Error('queue connection lost')
    }
    const run = analyzeBatch(rows(), { workers: 0 })
    await expect(collect(run)).rejects.toThrow('queue connection lost')
    expect(() => run.summary()).toThrow(expect.objectContaining({ code: 'invalid_state', message: 'analyzeBatch: no summary, as the run failed: queue connection lost' }))
    const missing = analyzeFile(join(tempDir(), 'missing.jsonl'))
    await expect(collect(missing)).rejects.toThrow(expect.objectContaining({ code: 'invalid_file' }))
    expect(() => missing.summary()).toThrow(/^analyzeFile: no summary, as the run failed: cannot read .*missing\.jsonl: no such file$/)
  })

  it('reads async iterables and summarizes the batch', async () => {
    async function* rows() {
      yield { id: 'x', text: 'Llegó tarde y roto, fatal.', rating: 1 }
      yield { id: 'y', text: 'Great headphones, love them.', rating: 5 }
      yield { id: 'z' }
    }
    const run = analyzeBatch(rows(), { workers: 1 })
    expect(() => run.summary()).toThrow(expect.objectContaining({ code: 'invalid_state', message: 'analyzeBatch: summary() is ready once every row has been read' }))
    await collect(run)
    await expect(collect(run)).rejects.toThrow(expect.objectContaining({ code: 'invalid_state' }))
    const s = run.summary()
    expect(s).toMatchObject({ rows: 3, ok: 2, errors: 1, input: { format: 'objects' }, errorCodes: { required: 1 }, aborted: false })
    expect(Object.values(s.languages).reduce((a, b) => a + (b ?? 0), 0)).toBe(2)
    expect(s.errorSamples[0]).toContain('row 3 (id z), field "text"')
  })

  it('stops at an aborted signal and still yields the rows done before it', async () => {
    const controller = new AbortController()
    async function* rows() {
      for (let i = 1; i <= 50; i++) {
        if (i === 20) controller.abort()
        yield { id: `r${i}`, text: 'Bien, sin más.' }
      }
    }
    const run = analyzeBatch(rows(), { workers: 1, chunkSize: 5, signal: controller.signal })
    const out = await collect(run)
    expect(out.length).toBeGreaterThan(0)
    expect(out.length).toBeLessThan(50)
    expect(out.map((r) => r.row)).toEqual(out.map((_, i) => i + 1))
    expect(run.summary()).toMatchObject({ aborted: true, rows: out.length })
  })

  it('stops at a signal that is no AbortSignal instance but works as one (a polyfill, another realm)', async () => {
    // What an SDK's own AbortController gives: an event target with `aborted`.
    const signal = Object.assign(new EventTarget(), { aborted: false })
    async function* rows() {
      for (let i = 1; i <= 50; i++) {
        if (i === 20) {
          signal.aborted = true
          signal.dispatchEvent(new Event('abort'))
        }
        yield { id: `r${i}`, text: 'Bien, sin más.' }
      }
    }
    const run = analyzeBatch(rows(), { workers: 0, chunkSize: 5, signal: signal as unknown as AbortSignal })
    const out = await collect(run)
    expect(out.length).toBeLessThan(50)
    expect(run.summary()).toMatchObject({ aborted: true, rows: out.length })
    // Something that cannot be listened to is still refused.
    expect(() => analyzeBatch([], { signal: { aborted: false } as unknown as AbortSignal })).toThrow('option "signal": expected an AbortSignal')
  })

  it('says to pass the signal when given its AbortController', () => {
    const controller = new AbortController()
    expect(() => analyzeBatch([], { signal: controller as unknown as AbortSignal })).toThrow(
      'Invalid options: option "signal": expected an AbortSignal, got an AbortController: pass its signal (controller.signal)',
    )
  })

  it('stops while writing at the end of about a megabyte of output, even inside one large chunk, and counts what it wrote', async () => {
    const controller = new AbortController()
    const text = 'La entrega llegó a tiempo y el producto funciona bien. '.repeat(20)
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i + 1}`, text: `${i} ${text}` }))
    // One chunk of 3,000 rows (about 4 MB of output), written after the cross-review pass.
    const run = analyzeBatch(rows, { workers: 1, chunkSize: 3000, signal: controller.signal })
    const out: ResultRow[] = []
    for await (const row of run) {
      if (out.length === 0) controller.abort()
      out.push(row)
    }
    expect(out.length).toBeGreaterThan(0)
    expect(out.length).toBeLessThan(1500)
    expect(out.map((r) => r.row)).toEqual(out.map((_, i) => i + 1))
    expect(run.summary()).toMatchObject({ aborted: true, rows: out.length, ok: out.length })
  })

  it('says aborted only when the stop left rows out, not for a signal that fired after the last row', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `r${i + 1}`, text: 'Bien, sin más.' }))
    // Fired as the last row is yielded: every row was read and delivered.
    const late = new AbortController()
    const run = analyzeBatch(rows, { workers: 0, chunkSize: 7, signal: late.signal })
    const out: ResultRow[] = []
    for await (const row of run) {
      out.push(row)
      if (out.length === rows.length) late.abort()
    }
    expect(run.summary()).toMatchObject({ aborted: false, rows: 30 })
    // Fired once every row is read, as the cross-review pass starts: the results are all written still.
    const read = new AbortController()
    const onProgress = (p: Progress) => {
      if (p.phase === 'crossReview') read.abort()
    }
    const whole = analyzeBatch(rows, { workers: 0, chunkSize: 7, signal: read.signal, onProgress })
    expect(await collect(whole)).toHaveLength(30)
    expect(read.signal.aborted).toBe(true)
    expect(whole.summary()).toMatchObject({ aborted: false, rows: 30 })
    // A file read to its end, and several files, likewise.
    for (const input of [tempFile('late.jsonl', jsonl(rows)), [tempFile('a.jsonl', jsonl(rows.slice(0, 10))), tempFile('b.jsonl', jsonl(rows.slice(10)))]]) {
      const stop = new AbortController()
      const file = analyzeFile(input, { workers: 0, chunkSize: 7, signal: stop.signal })
      let n = 0
      for await (const _ of file) if (++n === rows.length) stop.abort()
      expect(file.summary()).toMatchObject({ aborted: false, rows: 30 })
    }
  })

  it('lists in the summary the keep keys no row had, and gives error rows their keep fields', async () => {
    const rows = [
      { id: 'a', text: 'Muy bueno', order_id: 'A-1', meta: { tier: 'gold' } },
      { id: 'b', text: 'Malo', order_id: null },
      { id: 'c', rating: 2, country: 'ES' },
    ]
    const run = analyzeBatch(rows, { keep: ['order_id', 'meta.tier', 'ordr_id', 'country'] })
    const results = await collect(run)
    // "country" is only in an error row, which carries it to be joined back; "order_id" counts though null in one row.
    expect(results[2]).toEqual({
      id: 'c',
      ok: false,
      row: 3,
      error: { field: 'text', code: 'required', message: 'text is required' },
      fields: { order_id: null, 'meta.tier': null, ordr_id: null, country: 'ES' },
    })
    expect(run.summary().missingKeep).toEqual(['ordr_id'])
    // A key every object has is kept only when the row has it of its own.
    const named = await collect(analyzeBatch([{ id: 'a', text: 'Muy bueno' }, { id: 'b', text: 'Malo', constructor: 'x' }], { keep: ['toString', 'constructor'] }))
    expect(named.map((r) => [r.ok, r.fields])).toEqual([
      [true, { toString: null, constructor: null }],
      [true, { toString: null, constructor: 'x' }],
    ])
    // "__proto__" too: a row's own key (JSON's) is kept, and a row without one gives null, not an object's prototype.
    const proto = tempFile('keep-proto.jsonl', '{"id":"a","text":"Muy bueno","__proto__":"P-1"}\n{"id":"b","text":"Malo"}\n{"id":"c","__proto__":"P-3"}\n')
    const protoRun = analyzeFile(proto, { keep: ['__proto__', 'order_id'] })
    const protoRows = await collect(protoRun)
    expect(protoRows.map((r) => JSON.stringify(r.fields))).toEqual(['{"__proto__":"P-1","order_id":null}', '{"__proto__":null,"order_id":null}', '{"__proto__":"P-3","order_id":null}'])
    expect(protoRun.summary().missingKeep).toEqual(['order_id'])
    const protoObjects = await collect(analyzeBatch([{ id: 'a', text: 'Muy bueno' }], { keep: ['__proto__'] }))
    expect(JSON.stringify(protoObjects[0]!.fields)).toBe('{"__proto__":null}')
    // A row that is no object and a line that is no JSON have no fields to give; a text over maxTextLength is read as the row's.
    const lines = tempFile('keep-errors.jsonl', `{"id":"a","text":"Muy bueno","order_id":"A-1"}\n[1]\n{"id":"b",\n{"id":"c","text":"${'x'.repeat(300)}","order_id":"C-3","rating":"great"}\n{"id":"d","text":"Bueno","rating":9,"order_id":"D-4"}\n`)
    const errors = (await collect(analyzeFile(lines, { keep: ['order_id'], maxTextLength: 100 }))).filter((r) => !r.ok)
    expect(errors.map((r) => [r.row, r.error.code, r.fields])).toEqual([
      [2, 'invalid_row', undefined],
      [3, 'invalid_json', undefined],
      [4, 'too_big', { order_id: 'C-3' }],
      [5, 'out_of_range', { order_id: 'D-4' }],
    ])
    const all = analyzeBatch(rows, { keep: ['order_id'] })
    await collect(all)
    expect(all.summary()).not.toHaveProperty('missingKeep')
    // A CSV column the header lacks, read in worker threads too.
    const csv = tempFile('keep.csv', `id,text,order_id\n${Array.from({ length: 40 }, (_, i) => `r${i},Muy bueno,A-${i}`).join('\n')}\n`)
    const file = analyzeFile(csv, { keep: ['order_id', 'country'], workers: 2, chunkSize: 10 })
    await collect(file)
    expect(file.summary().missingKeep).toEqual(['country'])
    // A row whose later keep key throws is an error row: the keys read before it do not count.
    const throwing = [
      { id: 'a', text: 'Muy bueno' },
      {
        id: 'b',
        text: 'Muy bueno',
        a: 1,
        get extra(): never {
          throw new Error('no')
        },
      },
    ]
    const partial = analyzeBatch(throwing, { keep: ['a', 'extra'] })
    const out = await collect(partial)
    expect(out.map((r) => r.ok)).toEqual([true, false])
    expect(partial.summary().missingKeep).toEqual(['a', 'extra'])
  })

  it('reads a stream of a file\'s bytes as it reads stdin: JSON Lines, CSV, gzip, a web stream, with workers', async () => {
    const lines = '{"id":"a","text":"Ottimo prodotto"}\n{"id":"b","text":"Pessimo, arrivato rotto"}\n'
    // Pieces cut anywhere, as a request body comes.
    const cut = analyzeFile(Readable.from([Buffer.from(lines.slice(0, 10)), Buffer.from(lines.slice(10))]))
    expect((await collect(cut)).map((r) => [r.id, r.ok])).toEqual([['a', true], ['b', true]])
    expect(cut.summary().input).toEqual({ format: 'jsonl' })
    const csv = analyzeFile(Readable.from(['id;text;rating\nr1;Muy bueno;5\n', 'r2;Malo;1\n']))
    expect((await collect(csv)).map((r) => [r.id, r.ok && r.rating])).toEqual([['r1', 5], ['r2', 1]])
    expect(csv.summary().input).toMatchObject({ format: 'csv', delimiter: ';', columns: ['id', 'text', 'rating'] })
    expect((await collect(analyzeFile(Readable.from([gzipSync(lines)])))).map((r) => r.id)).toEqual(['a', 'b'])
    expect((await collect(analyzeFile(new Response(lines).body!))).map((r) => r.id)).toEqual(['a', 'b'])
    // The bytes of a file read through a stream give the file's results, whatever the threads.
    // (A stream has no name to say JSON Lines: these rows' first line, an array, would read as a JSON array.)
    const path = tempFile('as-stream.jsonl', jsonl(syntheticRows(300, 3)))
    const digest = async (run: BatchRun) => createHash('sha1').update(JSON.stringify(await collect(run))).digest('hex')
    const fromFile = await digest(analyzeFile(path, { workers: 0 }))
    const { createReadStream } = await import('node:fs')
    expect(await digest(analyzeFile(createReadStream(path, { highWaterMark: 4096 }), { workers: 2, chunkSize: 50, format: 'jsonl' }))).toBe(fromFile)
    // Rows as objects belong to analyzeBatch; a stream that fails fails the run.
    await expect(collect(analyzeFile(Readable.from([{ id: 'x', text: 'hola' }])))).rejects.toThrow(/^the stream: expected bytes or text, got an object: pass rows as objects to analyzeBatch$/)
    async function* hangUp(): AsyncGenerator<Buffer> {
      yield Buffer.from(lines)
      await new Promise((resolve) => setTimeout(resolve, 10))
      throw new Error('socket hang up')
    }
    await expect(collect(analyzeFile(hangUp()))).rejects.toThrow('socket hang up')
    expect(() => analyzeFile(42 as never)).toThrow(/^analyzeFile: expected a file path, an array of them, or a stream of a file's bytes, got 42$/)
  })

  it('gives a row an analyzer fails on an error row, with its keep fields', async () => {
    const { Stage } = await import('../src/batch/stage.js')
    const { contextFor } = await import('../src/analyze.js')
    const ctx = contextFor(resolveOptions({ keep: ['order'] }))
    const stage = new Stage(ctx)
    // A journey tagger that throws stands for a bug in an analyzer.
    const taxonomy = ctx.taxonomy
    ctx.taxonomy = new Proxy(taxonomy, {
      get() {
        throw new Error('boom')
      },
    })
    try {
      const chunk = { kind: 'objects', seq: 0, start: 0, rows: 1, items: [{ id: 'a', text: 'Ottimo prodotto', order: 'O-1' }], endOffset: 0 } as const
      const line = JSON.parse(Buffer.from(stage.run(chunk as never).spill).toString('utf8')) as ErrorRow
      expect(line).toEqual({ id: 'a', ok: false, row: 1, error: { field: 'row', code: 'invalid_row', message: 'internal error while analyzing the row: boom' }, fields: { order: 'O-1' } })
    } finally {
      ctx.taxonomy = taxonomy
    }
  })

  it('counts the columns read the same for any chunk size, however many keys name a field', async () => {
    // "text" in 10 rows, "review" in 50, then 640 keys each read as the text once, then "text" in 100 more rows:
    // a chunk that met more than 256 new keys before "text" came back had dropped its later counts.
    const distinct = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ [`review${'_'.repeat(from + i)}text`]: 'Muy buen producto' }))
    const rows = [
      ...Array.from({ length: 10 }, () => ({ text: 'Muy buen producto' })),
      ...Array.from({ length: 50 }, () => ({ review: 'Muy buen producto' })),
      ...distinct(1, 340),
      ...distinct(341, 300),
      ...Array.from({ length: 100 }, () => ({ text: 'Muy buen producto' })),
    ]
    const fields: (string | undefined)[] = []
    for (const chunkSize of [100, 400, 1000]) {
      const run = analyzeBatch(rows, { chunkSize, workers: 0 })
      await collect(run)
      fields.push(run.summary().fields.text)
    }
    expect(fields).toEqual(['text', 'text', 'text'])
  })

  it('names the keys that name a text beside the one read, the same for any worker count and chunk size', async () => {
    // An export with both a review and a comment: the comment's words are not scored, and the summary says so.
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({ id: `a${i}`, review: 'Llegó rápido y funciona bien.', comment: 'La caja venía rota.' })),
      { id: 'b', review: 'Ottimo', comment: '   ', opinion: 'Consegna lenta.' },
      { id: 'c', review: 'Good', comment: 'Late', opinion: 'Slow' },
      // A row with one text key, and one whose other key is read as another field, name none.
      { id: 'd', comment: 'Solo un comentario' },
      { id: 'e', review: 'Bello', summary: 'Un titolo' },
    ]
    const path = tempFile('two-texts.jsonl', jsonl(rows))
    for (const options of [{ workers: 0 }, { workers: 2, chunkSize: 3 }, { workers: 0, chunkSize: 1 }]) {
      const run = analyzeFile(path, options)
      await collect(run)
      expect(run.summary().input.otherTextKeys).toEqual(['comment', 'opinion'])
      expect(run.summary().fields.text).toBe('review')
    }
    const one = analyzeBatch([{ review: 'Bello', summary: 'Un titolo' }, { text: 'Ottimo', comment: '' }], { workers: 0 })
    await collect(one)
    expect(one.summary().input).not.toHaveProperty('otherTextKeys')
    // A text chosen by the map is the user's choice: nothing passed over is counted.
    const mapped = analyzeFile(path, { workers: 0, map: { text: 'comment' } })
    await collect(mapped)
    expect(mapped.summary().input).not.toHaveProperty('otherTextKeys')
  })

  it('names the keys passed over inside an API\'s wrapper by their path', async () => {
    // JSON:API's attributes, a GraphQL node, Google Takeout's properties: the text and the comment beside it are both inside.
    const rows = [
      { id: 'a', type: 'reviews', attributes: { review: 'Llegó rápido y funciona bien.', comment: 'La caja venía rota.' } },
      { cursor: 'c1', node: { id: 'b', review: 'Ottimo', comment: 'Arrivato tardi' } },
      { type: 'Feature', properties: { review: 'Great place', comment: 'Slow service' } },
    ]
    const run = analyzeBatch(rows, { workers: 0 })
    const out = await collect(run)
    expect(out.map((r) => r.ok)).toEqual([true, true, true])
    expect(run.summary().input.otherTextKeys).toEqual(['attributes.comment', 'node.comment', 'properties.comment'])
  })

  it('names the keys passed over per file when it reads several', async () => {
    const both = tempFile('both.jsonl', jsonl([{ review: 'Ottimo', comment: 'Arrivato tardi' }]))
    const one = tempFile('one.jsonl', jsonl([{ review: 'Bello' }]))
    const run = analyzeFile([one, both], { workers: 0 })
    await collect(run)
    expect(run.summary().input.files!.map((f) => f.otherTextKeys)).toEqual([undefined, ['comment']])
    expect(run.summary().input.otherTextKeys).toEqual(['comment'])
  })

  it('keeps a CSV column named __proto__ as the row\'s own key, in any thread', async () => {
    // row.__proto__ = value tries to set the object's prototype: the cell was lost, and --keep __proto__ gave null.
    const path = tempFile('proto.csv', 'id,text,__proto__\nr1,Muy buen producto,X-9\nr2,Ottimo,\n')
    for (const options of [{ workers: 0 }, { workers: 2, chunkSize: 1 }]) {
      const rows = await collect(analyzeFile(path, { ...options, keep: ['__proto__'] }))
      expect(rows.map((r) => JSON.stringify(r.fields))).toEqual(['{"__proto__":"X-9"}', '{"__proto__":""}'])
    }
  })

  it('rejects something that is not iterable', () => {
    expect(() => analyzeBatch(42 as never)).toThrow(RecensioError)
  })

  it('gives the event loop turns during the cross-review pass, as a server beside it needs', async () => {
    const rows = syntheticRows(60, 4)
    let scheduled = false
    let turned = false
    const onProgress = (p: Progress) => {
      if (p.phase !== 'crossReview' || scheduled) return
      scheduled = true
      setImmediate(() => {
        turned = true
      })
    }
    let turnedBeforeFirstRow: boolean | undefined
    for await (const _ of analyzeBatch(rows, { workers: 0, onProgress })) turnedBeforeFirstRow ??= turned
    expect(scheduled).toBe(true)
    expect(turnedBeforeFirstRow).toBe(true)
  })
})

describe('numbers off their scale', () => {
  it("says which scale a batch's ratings and survey answers fit, the same for any worker count and chunk size", async () => {
    // Booking.com's scores (1–10) read as stars, and a CSAT asked on 0–10.
    const rows: object[] = Array.from({ length: 40 }, (_, i) => ({ id: `b${i}`, text: `Hotel ${i % 7} bien situado, personal amable`, rating: [8, 9.2, 4, 10, 6.5][i % 5], csat: i % 8 === 0 ? 0 : 4 }))
    // A row without a text is an error row for it first, and counted for its rating too.
    rows.push({ id: 'no-text', rating: 7 })
    const summaries = []
    for (const [workers, chunkSize] of [[0, 256], [2, 3]] as const) {
      const run = analyzeBatch(rows, { workers, chunkSize })
      await collect(run)
      summaries.push(run.summary().offScale)
    }
    expect(summaries[0]).toEqual({
      rating: { rows: 33, min: 6.5, max: 10, scale: { min: 1, max: 5 }, fits: { min: 1, max: 10 } },
      // A row is counted for each of its fields off their scale, whichever is its first error.
      csat: { rows: 5, min: 0, max: 0, scale: { min: 1, max: 5 }, fits: { min: 0, max: 5 } },
    })
    expect(summaries[1]).toEqual(summaries[0])
    const onTen = analyzeBatch(rows, { workers: 0, ratingScale: '1-10', csatScale: '0-5' })
    await collect(onTen)
    expect(onTen.summary().offScale).toBeUndefined()
  })

  it('builds the sentence from the scale read on and the one that fits, or names none past 100', () => {
    expect(offScaleText('rating', { rows: 1_200, min: 6, max: 10, scale: { min: 1, max: 5 }, fits: { min: 1, max: 10 } })).toBe(
      '1,200 rows have ratings off the 1–5 scale (from 6 to 10), and are error rows: if the export rates on 1–10, run again with --rating-scale 1-10 (the ratings within 1–5 were read on it)',
    )
    expect(offScaleText('ces', { rows: 1, min: 250, max: 250, scale: { min: 1, max: 7 } })).toBe(
      '1 row has a CES answer off the 1–7 scale (250), and is an error row: if the export rates on another scale, run again with --ces-scale MIN-MAX (the CES answers within 1–7 were read on it)',
    )
  })
})

describe('dates that only read the other way round', () => {
  it('counts them from what the validator found, not from the words of the error message', () => {
    const t = emptyTally()
    // A reworded message without "(--date-order …)" still counts; a message with it but nothing found does not.
    const reworded: ErrorRow = { id: 'r9', ok: false, row: 9, error: { field: 'date', code: 'invalid_date', message: 'no 14th month: "14/03/2024"' } }
    tallyError(t, reworded, { order: 'dmy', value: '14/03/2024' })
    const named: ErrorRow = { id: null, ok: false, row: 12, error: { field: 'date', code: 'invalid_date', message: 'got "13/03/2024" (--date-order dmy)' } }
    tallyError(t, named)
    expect(t.otherDateOrder).toEqual({ rows: { mdy: 0, dmy: 1 }, first: { described: 'row 9 (id r9), field "date": no 14th month: "14/03/2024"', row: 9, id: 'r9', order: 'dmy', value: '14/03/2024' } })
  })

  it('builds the sentence from the order, the first row and its value', () => {
    expect(otherDateOrderText({ rows: 1, row: 9, id: 'r9', order: 'dmy', value: '14/03/2024' })).toBe(
      '1 row has a date that only reads day first (the first: row 9 (id r9), "14/03/2024"): if the file writes dates day first, run again with --date-order dmy, as its other dates were read month first',
    )
    expect(otherDateOrderText({ rows: 1_200, row: 3, id: null, order: 'mdy', value: '03/14/2024' })).toBe(
      '1,200 rows have dates that only read month first (the first: row 3, "03/14/2024"): if the file writes dates month first, run again with --date-order mdy, as its other dates were read day first',
    )
  })

  it('puts the order and the first value in the batch summary', async () => {
    const rows = [{ text: 'Bien', date: '05/03/2024' }, { id: 'x', text: 'Llegó tarde', date: '13/03/2024' }, { text: 'Mal', date: '25/03/2024' }]
    const run = analyzeBatch(rows, { workers: 0 })
    await collect(run)
    expect(run.summary().otherDateOrder).toEqual({
      rows: 2,
      first: expect.stringMatching(/^row 2 \(id x\), field "date": /) as unknown,
      row: 2,
      id: 'x',
      order: 'dmy',
      value: '13/03/2024',
    })
    const days = analyzeBatch(rows, { workers: 0, dateOrder: 'dmy' })
    await collect(days)
    expect(days.summary().otherDateOrder).toBeUndefined()
  })

  it('counts only the dates of the first one\'s order, with a Fecha file and a date file in one batch', async () => {
    const en = tempFile('en.csv', 'id,date,text\nr1,25/03/2024,Great\nr2,26/03/2024,Broken\n')
    const es = tempFile('es.csv', 'id,Fecha,text\ns1,05/03/2024,Muy bueno\ns2,03/25/2024,Malo\n')
    const run = analyzeFile([en, es], { workers: 0 })
    await collect(run)
    // "03/25/2024" reads only month first: it is not one of the rows --date-order dmy would mend.
    expect(run.summary().otherDateOrder).toMatchObject({ rows: 2, row: 1, order: 'dmy', value: '25/03/2024' })
  })
})

describe('analyzeFile: JSON Lines', () => {
  it('skips blank lines and reports lines that are not JSON as invalid_json', async () => {
    const path = tempFile('a.jsonl', '{"id":"1","text":"Perfecto"}\n\n   \nnot json {\n{"id":"3","text":"Roto"}\r\n')
    const out = await collect(analyzeFile(path, { workers: 1 }))
    expect(out).toHaveLength(3)
    expect(err(out[1])).toMatchObject({ row: 2, error: { code: 'invalid_json', field: 'row' } })
    expect(err(out[1]).error.message).toMatch(/^line 4 is not valid JSON/)
    expect(ok(out[2]).id).toBe('3')
  })

  it('reads the id out of a broken line for its error row', async () => {
    const path = tempFile('b.jsonl', '{"id":"r-77","text":"Ottimo", "rating": }\n')
    const [row] = await collect(analyzeFile(path))
    expect(err(row)).toMatchObject({ id: 'r-77', error: { code: 'invalid_json' } })
  })

  it('reports a cut-off last line as truncated', async () => {
    const path = tempFile('c.jsonl', '{"id":"1","text":"Bueno"}\n{"id":"2","text":"Malo, muy ma')
    const out = await collect(analyzeFile(path))
    expect(out).toHaveLength(2)
    expect(err(out[1])).toMatchObject({ id: '2', row: 2, error: { code: 'truncated' } })
  })

  it("gives a CSV row cut off inside a quoted field its id, when the id comes whole before the cut", async () => {
    const cases: [string, string, string | null][] = [
      ['id-first.csv', 'id,text,rating\nr1,"Bueno",5\nr2,"Malo, muy ma', 'r2'],
      ['semicolon.csv', 'id;texto\nr1;Bueno\nr2;"Malo; muy ma', 'r2'],
      // The id after the cut, or the id itself cut, is not known.
      ['id-last.csv', 'text,id\n"Bueno",r1\n"Malo, muy ma', null],
      ['id-cut.csv', 'id,text\nr1,Bueno\n"r2', null],
    ]
    for (const [name, csv, id] of cases) {
      const out = await collect(analyzeFile(tempFile(name, csv)))
      expect(out, name).toHaveLength(2)
      expect(err(out[1]), name).toMatchObject({ id, row: 2, error: { code: 'truncated' } })
    }
  })

  it('reads a last line without a newline when it is complete', async () => {
    const path = tempFile('d.jsonl', '{"id":"1","text":"Bueno"}\n{"id":"2","text":"Malo"}')
    const out = await collect(analyzeFile(path))
    expect(out.map((r) => r.ok)).toEqual([true, true])
  })

  it('repairs invalid UTF-8 bytes and says so in the row', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"1","text":"Caf'), Buffer.from([0xe9]), Buffer.from(' muy rico"}\n{"id":"2","text":"ok \uFFFD real"}\n')])
    const out = await collect(analyzeFile(tempFile('e.jsonl', bytes)))
    expect(ok(out[0]).warnings).toContain(INVALID_UTF8_WARNING)
    // A real U+FFFD in valid UTF-8 is not a repair.
    expect(ok(out[1]).warnings ?? []).not.toContain(INVALID_UTF8_WARNING)
  })

  it('gives a 10 MB row an error row and reads the rows around it', async () => {
    const big = JSON.stringify({ id: 'big', text: 'a'.repeat(10 * 1024 * 1024) })
    const path = tempFile('f.jsonl', `{"id":"1","text":"Antes"}\n${big}\n{"id":"3","text":"Después"}\n`)
    const out = await collect(analyzeFile(path, { workers: 1 }))
    expect(out.map((r) => r.ok)).toEqual([true, false, true])
    expect(err(out[1])).toMatchObject({ id: 'big', row: 2, error: { code: 'too_big', field: 'text' } })
  })

  it('skips a line over the row limit without holding it, as an error row', async () => {
    // The limit is 16 MB or 4 bytes per allowed character: 1,000 characters → 16 MB.
    const huge = `{"id":"huge","text":"${'b'.repeat(17 * 1024 * 1024)}"}`
    const path = tempFile('g.jsonl', `{"id":"1","text":"Antes"}\n${huge}\n{"id":"3","text":"Después"}\n`)
    const out = await collect(analyzeFile(path, { workers: 1, maxTextLength: 1000 }))
    expect(out.map((r) => r.ok)).toEqual([true, false, true])
    expect(err(out[1]).error).toMatchObject({ code: 'too_big' })
    expect(err(out[1]).error.message).toMatch(/^line 2 is 17\.0 MB, over the 16\.0 MB limit/)
    // Its id, read from the row's first bytes, names it; so in a JSON array.
    expect(err(out[1]).id).toBe('huge')
    const array = tempFile('g.json', `[{"id":"1","text":"Antes"},\n${huge},\n{"id":"3","text":"Después"}]\n`)
    const inArray = await collect(analyzeFile(array, { workers: 0, maxTextLength: 1000 }))
    expect(inArray.map((r) => (r.ok ? r.id : [r.id, r.error.code]))).toEqual(['1', ['huge', 'too_big'], '3'])
  })
})

describe('analyzeFile: CSV', () => {
  it('reads quoted fields with commas, quotes and newlines, a BOM and CRLF', async () => {
    const csv = '\uFEFFid,text,rating\r\n1,"Llegó tarde, pero bien",4\r\n2,"Dice ""genial""\r\ny es verdad",5\r\n'
    const out = await collect(analyzeFile(tempFile('a.csv', csv), { keep: ['text'] }))
    expect(out).toHaveLength(2)
    expect(ok(out[0]).fields).toEqual({ text: 'Llegó tarde, pero bien' })
    expect(ok(out[1]).fields).toEqual({ text: 'Dice "genial"\r\ny es verdad' })
    expect(ok(out[1]).rating).toBe(5)
  })

  it('detects a ";" delimiter and maps export column names', async () => {
    const csv = 'review_id;reviewText;overall\nx1;Ottimo prodotto, consigliato;5\nx2;Pessimo;1\n'
    const run = analyzeFile(tempFile('b.csv', csv))
    const out = await collect(run)
    expect(out.map((r) => r.id)).toEqual(['x1', 'x2'])
    expect(ok(out[0]).rating).toBe(5)
    expect(run.summary()).toMatchObject({ input: { format: 'csv', delimiter: ';' }, fields: { id: 'review_id', text: 'reviewText', rating: 'overall' } })
  })

  it('maps Spanish and Italian column names, in any case, with or without accents and spaces', async () => {
    const es = 'Fecha;RESEÑA;Puntuación;Usuario;Producto\n2026-03-01;Llegó roto y nadie responde;1;u1;p1\n'
    const run = analyzeFile(tempFile('es.csv', es))
    const out = await collect(run)
    expect(ok(out[0]).rating).toBe(1)
    expect(ok(out[0]).language.code).toBe('es')
    expect(run.summary().fields).toEqual({ date: 'Fecha', text: 'RESEÑA', rating: 'Puntuación', author: 'Usuario', product: 'Producto' })
    const it = 'Review Text,stelle,Data\n"Ottimo, arrivato presto",5,2026-01-02\n'
    const run2 = analyzeFile(tempFile('it.csv', it))
    expect(ok((await collect(run2))[0]).rating).toBe(5)
    // "Data" is the date when it holds one (in English exports "data" is anything: see the test below).
    expect(run2.summary().fields).toEqual({ text: 'Review Text', rating: 'stelle', date: 'Data' })
  })

  it('reads the same column as the text whatever the case of the header, a review before a comment', async () => {
    for (const header of ['id,review,comment', 'Id,Review,Comment', 'ID,REVIEW,COMMENT']) {
      const run = analyzeFile(tempFile('rc.csv', `${header}\n1,The blender crushes ice in seconds,refund issued\n`))
      await collect(run)
      expect(run.summary().fields.text, header).toBe(header.split(',')[1])
    }
  })

  it('maps the columns of review platform exports: stars, dates, authors and products', async () => {
    const trustpilot =
      'Review ID,Review Created (UTC),Review Consumer User ID,Review Title,Review Content,Review Stars,Source Of Review,Review Language\n' +
      'abc1,2024-03-05 14:22:01,u1,Great service,Fast delivery and the product works perfectly.,5,Organic,en\n'
    const tp = analyzeFile(tempFile('trustpilot.csv', trustpilot))
    expect(ok((await collect(tp))[0])).toMatchObject({ rating: 5, date: '2024-03-05T14:22:01.000Z', author: 'u1', language: { code: 'en', source: 'given' } })
    expect(tp.summary().fields).toMatchObject({ date: 'Review Created (UTC)', author: 'Review Consumer User ID', rating: 'Review Stars', lang: 'Review Language' })
    const play =
      'Package Name,Reviewer Language,Review Submit Date and Time,Review Submit Millis Since Epoch,Star Rating,Review Title,Review Text\n' +
      'com.shop.app,es,2024-03-05T14:22:01Z,1709648521000,5,,"La app va genial, muy útil"\n'
    const gp = analyzeFile(tempFile('play.csv', play))
    expect(ok((await collect(gp))[0])).toMatchObject({ rating: 5, date: '2024-03-05T14:22:01.000Z', product: 'com.shop.app' })
    // The place's own rating and review count beside the review's: the review's are read.
    const maps = 'name,place_id,rating,reviews,author_title,author_id,review_id,review_text,review_rating,review_datetime_utc\nPizzeria Da Mario,p1,4.3,812,Mario Rossi,a1,r1,"Pizza ottima, personale gentile",5,03/05/2024 14:22:01\n'
    const gm = analyzeFile(tempFile('maps.csv', maps))
    expect(ok((await collect(gm))[0])).toMatchObject({ id: 'r1', rating: 5, date: '2024-03-05T14:22:01.000Z', author: 'a1', product: 'p1' })
    expect(gm.summary().fields).toMatchObject({ rating: 'review_rating', text: 'review_text' })
    // Yelp's and Airbnb's datasets name the place or listing reviewed.
    const yelp = await collect(analyzeBatch([{ review_id: 'y1', user_id: 'u1', business_id: 'b1', stars: 4, text: 'Great tacos, friendly staff.', date: '2018-07-07 22:09:11' }]))
    expect(ok(yelp[0])).toMatchObject({ id: 'y1', author: 'u1', product: 'b1', rating: 4 })
    const airbnb = await collect(analyzeBatch([{ listing_id: 'l9', id: 'a1', date: '2019-05-01', reviewer_id: 'r1', reviewer_name: 'Ann', comments: 'Lovely flat, great host.' }]))
    expect(ok(airbnb[0])).toMatchObject({ id: 'a1', author: 'r1', product: 'l9' })
    const shop = 'product_handle,state,rating,title,author,body,created_at\nshoe-a,published,5,Love it,Anna,"Really comfy shoes, true to size.",2024-03-05 14:22:01 UTC\n'
    const sh = analyzeFile(tempFile('shopify.csv', shop))
    expect(ok((await collect(sh))[0])).toMatchObject({ product: 'shoe-a', author: 'Anna' })
  })

  it('reads a key inside an object that map names by a dotted path, and names the keys of an object it cannot read', async () => {
    const rows = [
      { reviewId: 'a1', body: 'Great blender, crushes ice in seconds', user: { name: 'ana', id: 7 }, product: { sku: 'B1' } },
      { reviewId: 'a2', body: 'Stopped working after a week', user: { id: 8 }, product: { sku: 'B1' } },
    ]
    const run = analyzeBatch(rows, { map: { author: 'user.name', product: 'product.sku' } })
    const out = await collect(run)
    expect(out.map((r) => [r.id, r.ok && r.author, r.ok && r.product])).toEqual([
      ['a1', 'ana', 'B1'],
      ['a2', undefined, 'B1'],
    ])
    expect(run.summary().fields).toMatchObject({ author: 'user.name', product: 'product.sku' })
    // A column named with a dot, as written, is read as that column.
    const flat = await collect(analyzeBatch([{ text: 'Muy bueno', 'user.name': 'flat', user: { name: 'nested' } }], { map: { author: 'user.name' } }))
    expect(ok(flat[0]).author).toBe('flat')
    // Without map, an API's author or product object gives its id, or else its name.
    const api = analyzeBatch([
      { id: 'b1', text: 'Muy bueno', user: { name: 'ana', id: 7 }, product: { title: 'Blender', sku: 'B1' } },
      { id: 'b2', text: 'Muy bueno', reviewer: { displayName: 'Ana G.', profilePhotoUrl: 'https://x.test/a.png' } },
      { id: 'b3', text: 'Muy bueno', consumer: { id: '', displayName: 'Bob' } },
    ])
    const read = await collect(api)
    expect(read.map((r) => [r.id, r.ok && r.author, r.ok && r.product])).toEqual([
      ['b1', '7', 'B1'],
      ['b2', 'Ana G.', undefined],
      ['b3', 'Bob', undefined],
    ])
    expect(api.summary().fields).toMatchObject({ author: 'user.id', product: 'product.sku' })
    // An object with no such key says which keys it has and how to read one: one that holds a string or a number.
    const bare = await collect(analyzeBatch([{ id: 'b1', text: 'Muy bueno', user: { badges: ['top'], profile: 'https://x.test/ana', since: 2019 } }]))
    expect(err(bare[0]).error).toEqual({
      field: 'author',
      code: 'invalid_type',
      message: 'expected a string, got an object with the keys badges, profile, since: read one with --map author=user.profile (option map.author)',
    })
  })

  it('names the key that holds the field in the hint of an object, also in a row that left it empty', async () => {
    const out = await collect(analyzeBatch([
      { id: 'n1', review: { rating: 5, text: 'Muy bueno' } },
      { id: 'n2', review: { text: null, rating: 3 } },
    ]))
    expect(out.map((r) => [r.id, err(r).error.message])).toEqual([
      ['n1', 'expected a string, got an object with the keys rating, text: read one with --map text=review.text (option map.text)'],
      ['n2', 'expected a string, got an object with the keys text, rating: read one with --map text=review.text (option map.text)'],
    ])
  })

  it('gives an error row from a blank id cell no id, and a padded one trimmed, as a result', async () => {
    const out = await collect(analyzeFile(tempFile('ids.csv', 'id;texto;estrellas\n;;5\n  ;Bien;mucho\n 7 ;;4\n 8 ;Bien;4\n')))
    expect(out.map((r) => r.id)).toEqual([null, null, '7', '8'])
  })

  it('reads an Italian Data column as the date when it holds dates, and leaves other data alone', async () => {
    // The third as a workbook's date cell with a time reads: ISO's date and time.
    const run = analyzeFile(tempFile('it-data.csv', 'Data;Cliente;Voto;Recensione\n2024-03-05;c1;5;Ottimo prodotto\n5 marzo 2024;c2;2;Pessimo\n2024-03-06T14:30:00;c3;4;Buono\n'))
    const out = (await collect(run)).map(ok)
    expect(out.map((r) => r.date)).toEqual(['2024-03-05T00:00:00.000Z', '2024-03-05T00:00:00.000Z', '2024-03-06T14:30:00.000Z'])
    expect(run.summary().fields).toMatchObject({ date: 'Data' })
    const rows = [
      { text: 'Great', data: { source: 'web', tags: ['a'] } },
      { text: 'Great', data: 'imported from the old shop' },
      { text: 'Great', data: '12345' },
      { text: 'Great', data: '2024-03-05', date: '2023-01-02' },
    ]
    const json = analyzeBatch(rows)
    expect((await collect(json)).map((r) => ok(r).date)).toEqual([null, null, null, '2023-01-02T00:00:00.000Z'])
    expect(json.summary().fields).toMatchObject({ date: 'date' })
  })

  it('maps the rows of review APIs: Google Business Profile, Yelp, Trustpilot and Bazaarvoice', async () => {
    const rows = [
      { reviewId: 'g1', reviewer: { displayName: 'Ann Lee' }, starRating: 'FOUR', comment: 'Great food and friendly staff', createTime: '2024-03-05T10:00:00Z', updateTime: '2024-04-01T00:00:00Z' },
      { id: 'y1', text: 'Comida buenísima', rating: 5, time_created: '2016-08-29 00:41:13', user: { id: 'u1', name: 'Carla' } },
      { id: 't1', consumer: { id: 'c9', displayName: 'Bob' }, stars: 2, text: 'Arrived late', language: 'en', createdAt: '2024-03-05T10:00:00.000Z' },
      { Id: 'b1', ReviewText: 'Ottimo prodotto', Rating: 5, SubmissionTime: '2024-03-05T10:00:00.000+00:00', UserNickname: 'dario', ProductId: 'P7', ContentLocale: 'it_IT' },
    ]
    const out = (await collect(analyzeBatch(rows))).map(ok)
    expect(out.map((r) => [r.id, r.rating, r.date, r.author, r.product ?? null, r.language.source])).toEqual([
      ['g1', 4, '2024-03-05T10:00:00.000Z', 'Ann Lee', null, 'detected'],
      ['y1', 5, '2016-08-29T00:41:13.000Z', 'u1', null, 'detected'],
      ['t1', 2, '2024-03-05T10:00:00.000Z', 'c9', null, 'given'],
      ['b1', 5, '2024-03-05T10:00:00.000Z', 'dario', 'P7', 'given'],
    ])
    // A reviewer who stays anonymous is no author: not the stand-in name all of them share, nor an error row without one.
    const anonymous = [
      { reviewId: 'g2', reviewer: { displayName: 'A Google User', isAnonymous: true }, starRating: 'FIVE', comment: 'Great food' },
      { reviewId: 'g3', reviewer: { profilePhotoUrl: 'https://x.test/a.png', isAnonymous: true }, starRating: 'TWO', comment: 'Slow service' },
      // Nor is an object with nothing in it, as an empty string names no one.
      { id: 'y2', text: 'Comida buenísima', user: { id: '', name: null } },
      { id: 'y3', text: 'Comida buenísima', user: {}, product: { sku: ' ', title: '' } },
      // Nor one that only says the reviewer is not anonymous.
      { reviewId: 'g4', reviewer: { isAnonymous: false }, starRating: 'FOUR', comment: 'Good coffee' },
    ]
    const unnamed = (await collect(analyzeBatch(anonymous))).map(ok)
    expect(unnamed.map((r) => [r.id, r.author ?? null, r.product ?? null])).toEqual([['g2', null, null], ['g3', null, null], ['y2', null, null], ['y3', null, null], ['g4', null, null]])
    // An object whose only keys say nothing of who wrote it is an error row that names a key to read.
    const [photo] = await collect(analyzeBatch([{ id: 'y4', text: 'Comida buenísima', user: { photo: { url: 'a.png' }, nick: 'x' } }]))
    expect(photo).toMatchObject({ ok: false, error: { field: 'author' } })
    // A scraper's relative date is read when the row has no absolute one (with a referenceDate to count back from).
    const scraped = [
      { reviewId: 's1', text: 'Muy rico todo', stars: 5, publishAt: 'hace 3 días', publishedAtDate: '2024-03-07T10:00:00.000Z' },
      { reviewId: 's2', text: 'Muy rico todo', stars: 5, publishAt: 'hace 3 días' },
      { id: 'p1', text: 'Ottimo', rating: 5, relative_time_description: 'un mese fa' },
    ]
    const dates = (await collect(analyzeBatch(scraped, { referenceDate: '2024-03-12' }))).map((r) => ok(r).date)
    expect(dates).toEqual(['2024-03-07T10:00:00.000Z', '2024-03-09T00:00:00.000Z', '2024-02-12T00:00:00.000Z'])
  })

  it('maps the review id, date and customer columns of Italian, Spanish and English shop exports', async () => {
    const it = 'id_recensione,stelle,testo,data_recensione,cliente,id_prodotto\nIT1,4,"Arrivato presto, ottimo",2023-05-02,c7,art-1\n'
    const run = analyzeFile(tempFile('it.csv', it))
    const out = await collect(run)
    expect(ok(out[0])).toMatchObject({ id: 'IT1', date: '2023-05-02T00:00:00.000Z', author: 'c7', product: 'art-1' })
    expect(run.summary().fields).toEqual({ id: 'id_recensione', rating: 'stelle', text: 'testo', date: 'data_recensione', author: 'cliente', product: 'id_prodotto' })
    const es = 'ID reseña;Fecha reseña;Cliente;Texto reseña\nE1;2024-03-05;Ana;Llegó roto\n'
    const run2 = analyzeFile(tempFile('es.csv', es))
    await collect(run2)
    expect(run2.summary().fields).toEqual({ id: 'ID reseña', date: 'Fecha reseña', author: 'Cliente', text: 'Texto reseña' })
    const en = 'Review ID,Customer Name,Review Content,Review Rating,Published At\nX1,Bob,Broke after a week,2,2024-01-02\n'
    const run3 = analyzeFile(tempFile('en.csv', en))
    await collect(run3)
    expect(run3.summary().fields).toEqual({ id: 'Review ID', author: 'Customer Name', text: 'Review Content', rating: 'Review Rating', date: 'Published At' })
  })

  it('says in the summary which names a CSV header repeats, for one file and for each of several', async () => {
    const twice = tempFile('twice.csv', 'id;text;text\n1;Ottimo prodotto;Pessimo\n')
    const run = analyzeFile(twice)
    await collect(run)
    expect(run.summary().input).toMatchObject({ columns: ['id', 'text', 'text_2'], repeatedColumns: ['text'] })
    const plain = tempFile('plain.csv', 'id;text\n2;Buono\n')
    const both = analyzeFile([plain, twice])
    await collect(both)
    expect(both.summary().input.repeatedColumns).toBeUndefined()
    expect(both.summary().input.files?.map((f) => f.repeatedColumns)).toEqual([undefined, ['text']])
  })

  it('prefers a name as written over one matched loosely', async () => {
    const rows = [{ TEXT: 'Pésimo, no funciona', comment: 'Perfecto, muy contento', Stars: 5 }]
    const run = analyzeBatch(rows)
    const out = await collect(run)
    expect(ok(out[0]).sentiment.label).toBe('positive')
    expect(run.summary().fields).toEqual({ text: 'comment', rating: 'Stars' })
  })

  it('uses --map style mappings over detected names', async () => {
    const csv = 'text,comentario,nota\nignored,Muy buen hotel,9\n'
    const out = await collect(analyzeFile(tempFile('c.csv', csv), { map: { text: 'comentario', rating: 'nota' }, ratingScale: '0-10', keep: ['comentario'] }))
    expect(ok(out[0]).fields).toEqual({ comentario: 'Muy buen hotel' })
    expect(ok(out[0]).rating).toBeCloseTo(4.6, 5)
  })

  it('keeps stray quotes inside a field as text, as csv-parse does with relax_quotes', async () => {
    const csv = 'id,text\n1,"bien" pero no\n2,dice 5" de pantalla\n3,Correcto\n'
    const out = await collect(analyzeFile(tempFile('d.csv', csv), { keep: ['text'] }))
    expect(out.map((r) => ok(r).fields?.text)).toEqual(['"bien" pero no', 'dice 5" de pantalla', 'Correcto'])
  })

  it('reports an unclosed quote as one error row and reads the rows after it', async () => {
    const filler = 'sin comillas '.repeat(Math.ceil((17 * 1024 * 1024) / 13))
    const csv = `id,text\n1,Bien\n2,"no se cierra\n${filler}\n3,Después\n`
    const out = await collect(analyzeFile(tempFile('u.csv', csv), { workers: 1 }))
    const last = out[out.length - 1]
    expect(ok(out[0]).id).toBe('1')
    expect(err(out[1]).error.code).toBe('too_big')
    expect(err(out[1]).error.message).toMatch(/^lines 3–\d+ \(.* MB\) were skipped: a quoted field opened on line 3 is not closed/)
    expect(ok(last).id).toBe('3')
    // A record on one line over the limit names its line once.
    const long = await collect(analyzeFile(tempFile('long.csv', `id,text\n1,Bien\n2,${filler}\n3,Después\n`), { workers: 0 }))
    expect(long.map((r) => (r.ok ? r.id : r.error.message))).toEqual([
      '1',
      expect.stringMatching(/^line 3 \(17\.0 MB\) was skipped: the record is over the row limit within 16\.0 MB$/),
      '3',
    ])
  })

  it('repairs invalid UTF-8 in a record and says so in that row only', async () => {
    const bytes = Buffer.concat([Buffer.from('id,text\n1,"Caf'), Buffer.from([0xe9]), Buffer.from(', rico"\n2,Bien\n')])
    const out = await collect(analyzeFile(tempFile('latin1.csv', bytes), { keep: ['text'] }))
    expect(ok(out[0]).fields).toEqual({ text: 'Caf\uFFFD, rico' })
    expect(ok(out[0]).warnings).toContain(INVALID_UTF8_WARNING)
    expect(ok(out[1]).warnings ?? []).not.toContain(INVALID_UTF8_WARNING)
  })

  it('reports a file cut inside a quoted field as truncated', async () => {
    const out = await collect(analyzeFile(tempFile('e.csv', 'id,text\n1,Bien\n2,"Se cortó a mit')))
    expect(out).toHaveLength(2)
    expect(err(out[1])).toMatchObject({ row: 2, error: { code: 'truncated' } })
  })
})

describe('analyzeFile: inputs that are not JSONL or CSV', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)])
  const cases: [string, string | Buffer, RegExp][] = [
    ['image.png', png, /looks like a PNG image/],
    ['noise.jsonl', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), /binary data/],
    ['review.json', '{\n  "id": "a",\n  "text": "a",\n  "photos": [{"url": "x"}]\n}\n', /one JSON review spread over several lines.*jq -c/],
    ['object.json', '{\n  "id": "a",\n  "tags": ["x"]\n}\n', /one JSON object spread over several lines, with no array of objects in it/],
    ['notes.txt', 'just some words\nand more words\n', /neither a JSON object nor a CSV header/],
  ]
  for (const [name, content, message] of cases) {
    it(`refuses ${name} at once`, async () => {
      const run = analyzeFile(tempFile(name, content))
      await expect(collect(run)).rejects.toThrow(message)
    })
  }

  it('says when the file is missing', async () => {
    await expect(collect(analyzeFile(join(tempDir(), 'missing.jsonl')))).rejects.toThrow(/cannot read .*missing\.jsonl: no such file/)
  })
})

describe('analyzeFile: damaged and unusual text inputs', () => {
  const read = async (name: string, content: string | Buffer, options: Parameters<typeof analyzeFile>[1] = {}) =>
    (await collect(analyzeFile(tempFile(name, content), options))).map((r) => (r.ok ? `${r.row} ${r.id}` : `${r.row} ${r.error.code}: ${r.error.message}`))

  it('reads lines that end in a carriage return alone (classic Mac OS), CSV and JSON Lines, from a file or a pipe', async () => {
    expect(await read('mac.csv', 'id,text,rating\rr1,Ottimo prodotto,5\rr2,"Pessimo,\rdavvero",1\r')).toEqual(['1 r1', '2 r2'])
    const lines = '{"id":"a","text":"Great"}\r{"id":"b","text":"Bad"}'
    expect(await read('mac.jsonl', lines)).toEqual(['1 a', '2 b'])
    const pipe = new PassThrough()
    const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20 })
    pipe.write(lines.slice(0, 30))
    pipe.end(lines.slice(30))
    const out = await outputOfSource(await opened)
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b'])
    // A "\r\n" cut by the first 64 kB is no carriage return alone.
    const long = `{"id":"a","text":"${'x'.repeat(65535 - 31)}","rating":5}`
    expect(long.length + 1).toBe(65536)
    const crlf = await read('crlf.jsonl', `${long}\r\n{"id":"b","text":"ok"}\r\n{"id":"c","text":"bad}\r\n`)
    expect(crlf.slice(1)).toEqual(['2 b', '3 invalid_json: line 3 is not valid JSON: Unterminated string in JSON at position 22'])
  })

  it('reads a stray carriage return between two JSON Lines rows as a line end, each row its own', async () => {
    const stray = '{"id":"a","text":"Great"}\r{"id":"b","text":"Bad"}\n{"id":"c","text":"Fine"}\n{"id":"d","text":"Ok"}\n'
    expect(await read('stray.jsonl', stray)).toEqual(['1 a', '2 b', '3 c', '4 d'])
    // Past its first 64 kB, which tell CR-only line ends, a file is read the same.
    const long = `{"id":"a","text":"${'x'.repeat(70_000)}"}`
    expect(await read('mac-long.jsonl', `${long}\r{"id":"b","text":"Bad"}\r{"id":"c","text":"Fine"}\r`)).toEqual(['1 a', '2 b', '3 c'])
    // A CR before a nested object is white space inside a row: the row stays whole.
    const nested = '{"id":"a","text":"Great","meta":\r{"src":"web"}}\n{"id":"b","text":"Bad","tags":[\r{"k":1}]}\n'
    expect(await read('nested.jsonl', nested)).toEqual(['1 a', '2 b'])
    // So a CR ends a line only after a row's closing brace: a row cut before one runs into the next.
    const cut = await read('cut.jsonl', '{"id":"a","text":"Gre\r{"id":"b","text":"Bad"}\n')
    expect(cut).toHaveLength(1)
    expect(cut[0]).toMatch(/^1 invalid_json: line 1 is not valid JSON/)
  })

  it('reads a CSV whose lines end in a carriage return alone and whose cells hold "\\n" (Excel for Mac)', async () => {
    const mac = 'id,text,rating\rr1,"Ottimo prodotto,\nlo consiglio",5\rr2,"Pessimo\n\ndavvero",1\rr3,Buono,4\r'
    expect(await read('mac-cells.csv', mac)).toEqual(['1 r1', '2 r2', '3 r3'])
    const rows = await collect(analyzeFile(tempFile('mac-cells.csv', mac), { keep: ['text'] }))
    expect(rows.map((r) => (r.ok ? r.fields?.text : null))).toEqual(['Ottimo prodotto,\nlo consiglio', 'Pessimo\n\ndavvero', 'Buono'])
    // One stray carriage return on the first line of a "\n" file is not a line end.
    expect(await read('stray.csv', 'id,text\r,x\nr1,Ottimo\nr2,Pessimo\n')).toEqual(['1 r1', '2 r2'])
  })

  it('reads JSON Lines whose first line is cut off (a file split by size) or damaged, the line an error row', async () => {
    const rest = '{"id":"r1","text":"Ottimo"}\n{"id":"r2","text":"Pessimo"}'
    for (const [name, options] of [['part_ab', {}], ['part.jsonl', {}], ['part.txt', { format: 'jsonl' as const }]] as const) {
      const rows = await read(name, `74","text":"Buono"}\n${rest}`, options)
      expect(rows.slice(1)).toEqual(['2 r1', '3 r2'])
      expect(rows[0]).toMatch(/^1 invalid_json: line 1 is not valid JSON/)
    }
    // A CSV is still a CSV, and a text file still refused.
    expect(await read('notes', 'id,text\nr1,{"a":1} ok\n')).toEqual(['1 r1'])
    await expect(read('notes.jsonl', 'just words\nmore words\n')).rejects.toThrow(/its first line is not a JSON object \(just words\): it was read as JSON Lines \(a \.jsonl or \.ndjson name, or --input-format jsonl\)$/)
    // A CSV under a JSON Lines name, or forced, is told what it looks like; never "not a … CSV … file".
    const csvAsJsonl = read('export.jsonl', 'id;text\nr1;Ottimo\n')
    await expect(csvAsJsonl).rejects.toThrow(/its first line is not a JSON object \(id;text\): .*; if it is CSV, run again with --input-format csv/)
    await expect(read('export.csv', 'id,text\nr1,Ottimo\n', { format: 'jsonl' })).rejects.not.toThrow(/not a JSON Lines, JSON, CSV/)
  })

  it('reads one JSON array on one line as its reviews with JSON Lines asked for, from a pipe as from a file', async () => {
    const array = '[{"id":"a","text":"Ottimo"},{"id":"b","text":"Pessimo"}]\n'
    expect(await read('dump.txt', array, { format: 'jsonl' })).toEqual(['1 a', '2 b'])
    const ids = async (writes: string[]) => {
      const pipe = new PassThrough()
      const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20, format: 'jsonl' })
      pipe.write(writes[0])
      setTimeout(() => pipe.end(writes[1]), 20)
      return (await outputOfSource(await opened)).trim().split('\n').map((l) => JSON.parse(l) as { id: string | null; ok: boolean })
    }
    expect((await ids([array, ''])).map((r) => r.id)).toEqual(['a', 'b'])
    // An array followed by rows is a row of its own: an error row.
    expect((await ids([array, '{"id":"c","text":"Bello"}\n'])).map((r) => [r.id, r.ok])).toEqual([[null, false], ['c', true]])
    // Once a next row has come, the pipe's end is not waited for (a live stream).
    const pipe = new PassThrough()
    const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20, format: 'jsonl' })
    pipe.write(`${array}{"id":"c",`)
    const waited = await Promise.race([opened.then(() => false), new Promise<boolean>((done) => setTimeout(() => done(true), 500))])
    pipe.end('"text":"Bello"}\n')
    expect(waited).toBe(false)
    expect((await opened).format).toBe('jsonl')
  })

  it('reads an API answer on one line from a pipe as a page, as from a file, and its lines one after another as rows', async () => {
    const answer = '{"meta":{"page":1},"data":{"reviews":[{"id":"a","text":"Ottimo"},{"id":"b","text":"Pessimo"}]}}\n'
    const piped = async (writes: string[]) => {
      const pipe = new PassThrough()
      const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20 })
      pipe.write(writes[0])
      setTimeout(() => pipe.end(writes[1]), 20)
      const source = await opened
      const rows = (await outputOfSource(source)).trim().split('\n').filter((l) => l !== '')
      return { format: source.format, rows: rows.map((l) => JSON.parse(l) as { id: string | null; ok: boolean }) }
    }
    const page = await piped([answer, ''])
    expect(page.format).toBe('json')
    expect(page.rows.map((r) => [r.id, r.ok])).toEqual([['a', true], ['b', true]])
    // An answer with no reviews is no rows, not a row without a text.
    expect(await piped(['{"data":{"reviews":[]},"total":0}\n', ''])).toEqual({ format: 'json', rows: [] })
    // A row with an empty list of its own is still a row; pages one per line are rows (with a warning elsewhere).
    expect((await piped(['{"id":"r1","rating":5,"photos":[]}\n', ''])).rows.map((r) => [r.id, r.ok])).toEqual([['r1', false]])
    const pages = await piped([answer, '{"data":{"reviews":[{"id":"c","text":"Bello"}]}}\n'])
    expect([pages.format, pages.rows.length]).toEqual(['jsonl', 2])
    // Once a next line has come, the pipe's end is not waited for (a live stream).
    const pipe = new PassThrough()
    const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20 })
    pipe.write(`${answer}{"data":`)
    const waited = await Promise.race([opened.then(() => false), new Promise<boolean>((done) => setTimeout(() => done(true), 500))])
    pipe.end('{"reviews":[]}}\n')
    expect(waited).toBe(false)
    expect((await opened).format).toBe('jsonl')
  })

  it('says what a format forced on JSON was read as, and what to do', async () => {
    await expect(read('export.csv', 'id,text\nr1,Ottimo\n', { format: 'json' })).rejects.toThrow(
      /it was read as JSON \(--input-format json, option format\), but does not start with "\[" \(a JSON array\) or "\{" \(an object that holds one\): leave out the format to read it by its content/,
    )
    const jsonl = '{"id":"r1","text":"Ottimo"}\n{"id":"r2","text":"Pessimo"}\n'
    await expect(read('dump.jsonl', jsonl, { format: 'json' })).rejects.toThrow(/it was read as JSON \(--input-format json, option format\), but its lines are reviews, one per line \(JSON Lines\): leave out the format, or give jsonl/)
    await expect(read('dump.jsonl', jsonl, { format: 'json' })).rejects.not.toThrow(/not a JSON Lines, JSON, CSV/)
  })

  it('takes a NUL byte or two for a damaged row, not for binary data', async () => {
    const rows = await read('nul.jsonl', '{"id":"r1","text":"Ottimo"}\n{"id":"r2","text":"a\0b"}\n')
    expect(rows[0]).toBe('1 r1')
    expect(rows[1]).toMatch(/^2 invalid_json: line 2 is not valid JSON: Bad control character/)
  })

  it('counts the progress of a Windows-1252 file in its own bytes, not in the UTF-8 they decode to', async () => {
    // Every accent is one byte in the file and two once decoded: counted decoded, the bytes done would pass the file's size.
    const lines = Array.from({ length: 3000 }, (_, k) => `r${k};"Llegó rápido, está genial, el envío perfecto ${k}";5`)
    const csv = Buffer.from(`id;texto;estrellas\n${lines.join('\n')}\n`, 'latin1')
    const file = tempFile('ventas.csv', csv)
    const progress: Progress[] = []
    const out = (await collect(analyzeFile(file, { encoding: 'windows-1252', chunkSize: 64, onProgress: (p) => progress.push(p) }))).map(ok)
    expect(out).toHaveLength(3000)
    expect(out[0]!.language.code).toBe('es')
    const reading = progress.filter((p) => p.phase === undefined)
    expect(reading.length).toBeGreaterThan(0)
    expect(reading.every((p) => p.totalBytes === csv.length && p.bytes! <= csv.length)).toBe(true)
    expect(reading.at(-1)).toMatchObject({ bytes: csv.length, totalBytes: csv.length })
    expect(reading.at(-1)!.compressed).toBeUndefined()
  })

  it('reads UTF-16 input, little- or big-endian, with or without a byte order mark, and counts its progress in its own bytes', async () => {
    const jsonl = '{"id":"r1","text":"Ottimo prodotto davvero 😀"}\n{"id":"r2","text":"Llegó tarde y roto"}\n'
    const le = Buffer.from(jsonl, 'utf16le')
    expect(await read('le.jsonl', le)).toEqual(['1 r1', '2 r2'])
    expect(await read('be-bom.jsonl', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(jsonl, 'utf16le').swap16()]))).toEqual(['1 r1', '2 r2'])
    // Without a byte order mark too, whatever encoding is asked for (a batch of Windows files with one UTF-16 among them).
    expect(await read('le.jsonl', le, { encoding: 'windows-1252' })).toEqual(['1 r1', '2 r2'])
    // Google Play Console's export: UTF-16 LE with a byte order mark, CSV; a Windows encoding asked for gives way to the mark.
    const csv = 'Package Name,Reviewer Language,Star Rating,Review Text\ncom.x,es,5,Muy buena app\ncom.x,it,1,Si blocca sempre\n'
    const play = tempFile('reviews_202403.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]))
    for (const encoding of [undefined, 'windows-1252'] as const) {
      const progress: Progress[] = []
      const run = analyzeFile(play, { ...(encoding === undefined ? {} : { encoding }), onProgress: (p) => progress.push(p) })
      const out = (await collect(run)).map(ok)
      expect(out.map((r) => [r.product, r.language.code, r.language.source, r.rating])).toEqual([
        ['com.x', 'es', 'given', 5],
        ['com.x', 'it', 'given', 1],
      ])
      const last = progress.filter((p) => p.phase === undefined).at(-1)!
      expect(last).toMatchObject({ bytes: statSync(play).size, totalBytes: statSync(play).size })
      expect(last.compressed).toBeUndefined()
    }
    // Cut anywhere, a character split between two pieces is put back together.
    expect(await decodedInThrees(le, { width: 2, order: 'little-endian' })).toEqual({ text: jsonl, bytesIn: le.length })
  })

  it('reads UTF-32 input, either byte order, with or without a byte order mark', async () => {
    const text = '{"id":"r1","text":"Ottimo prodotto davvero 😀"}\n{"id":"r2","text":"Llegó tarde y roto"}\n'
    const le = utf32(text, true)
    expect(await read('le.jsonl', le)).toEqual(['1 r1', '2 r2'])
    expect(await read('le-bom.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le]))).toEqual(['1 r1', '2 r2'])
    expect(await read('be-bom.jsonl', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(text, false)]))).toEqual(['1 r1', '2 r2'])
    expect(await read('be.jsonl', utf32(text, false), { encoding: 'windows-1252' })).toEqual(['1 r1', '2 r2'])
    const csv = tempFile('recensioni.csv', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32('testo;stelle\nQualità ottima, arrivato presto;5\n', true)]))
    const out = (await collect(analyzeFile(csv))).map(ok)
    expect(out.map((r) => [r.language.code, r.rating])).toEqual([['it', 5]])
    expect(out[0]!.journey.flatMap((j) => j.evidence)).toContain('Qualità')
    // A pipe whose writer sends a short first line and then waits is read on to tell its NUL bytes from binary data.
    for (const [first, rest] of [[utf32('a,text\n', true), utf32('1,Ottimo\n', true)], [Buffer.from('a,text\n', 'utf16le'), Buffer.from('1,Ottimo\n', 'utf16le')]]) {
      const pipe = new PassThrough()
      const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20 })
      pipe.write(first)
      setTimeout(() => pipe.end(rest), 20)
      expect((await outputOfSource(await opened)).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['1'])
    }
    // Cut anywhere, a character split between two pieces is put back together; a cut last one and a number past U+10FFFF are U+FFFD.
    const bad = Buffer.concat([utf32('a', true), Buffer.from([0, 0, 0x11, 0]), utf32('b', true), Buffer.from([0x61, 0])])
    for (const [bytes, want] of [[le, text], [bad, 'a\uFFFDb\uFFFD']] as const) {
      expect(await decodedInThrees(bytes, { width: 4, order: 'little-endian' })).toEqual({ text: want, bytesIn: bytes.length })
    }
  })

  it('reads on from a short first line of UTF-16 or UTF-32 with a byte order mark without waiting for more', async () => {
    // A pipe whose writer sends its header and waits (a live stream): the mark says what the NUL bytes are.
    const marked: [Buffer, (text: string) => Buffer][] = [
      [Buffer.from([0xff, 0xfe]), (text) => Buffer.from(text, 'utf16le')],
      [Buffer.from([0xfe, 0xff]), (text) => Buffer.from(text, 'utf16le').swap16()],
      [Buffer.from([0xff, 0xfe, 0, 0]), (text) => utf32(text, true)],
      [Buffer.from([0, 0, 0xfe, 0xff]), (text) => utf32(text, false)],
    ]
    for (const [bom, encode] of marked) {
      const pipe = new PassThrough()
      const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20 })
      pipe.write(Buffer.concat([bom, encode('text\n')]))
      const waited = await Promise.race([opened.then(() => false), new Promise<boolean>((done) => setTimeout(() => done(true), 500))])
      expect(waited).toBe(false)
      pipe.end(encode('Ottimo\n'))
      expect((await outputOfSource(await opened)).trim().split('\n').map((l) => (JSON.parse(l) as { ok: boolean }).ok)).toEqual([true])
    }
  })

  it('reads a byte-order mark at the start of any JSON Lines line (files joined with cat)', async () => {
    const bom = '\uFEFF'
    expect(await read('joined.jsonl', `${bom}{"id":"r1","text":"a"}\n${bom}{"id":"r2","text":"b"}\n`)).toEqual(['1 r1', '2 r2'])
  })
})

describe('determinism', () => {
  it('writes the same bytes for workers 1 and 2 and chunk sizes 1, 7 and 256', async () => {
    const rows = syntheticRows(300, 20240611)
    const lines = jsonl(rows).split('\n')
    // A blank line, a broken line and a cut-off last line, as exports have.
    lines.splice(37, 0, '')
    lines.splice(90, 0, '{"id":"broken", "text": ')
    const path = join(tempDir(), 'dump.jsonl')
    writeFileSync(path, `${lines.join('\n')}{"id":"cut","text":"fin`)
    const reference = await outputOf(path, { workers: 1, chunkSize: 256 })
    expect(reference.split('\n')).toHaveLength(302 + 1)
    for (const workers of [1, 2]) {
      for (const chunkSize of [1, 7, 256]) {
        if (workers === 1 && chunkSize === 256) continue
        expect(await outputOf(path, { workers, chunkSize }), `workers ${workers}, chunk ${chunkSize}`).toBe(reference)
      }
    }
  })

  it('runs the per-review stage in worker threads when asked, and in-process for one worker on a small input', async () => {
    const path = tempFile('w.jsonl', jsonl(syntheticRows(30, 3)))
    const two = analyzeFile(path, { workers: 2, chunkSize: 4 })
    await collect(two)
    expect(two.summary().workers).toBe(2)
    const one = analyzeFile(path, { workers: 1, chunkSize: 4 })
    await collect(one)
    expect(one.summary().workers).toBe(0)
  })

  it('runs one worker thread for one worker on an input longer than the in-process limit, with the same results as in-process', async () => {
    const rows = syntheticRows(2200, 5)
    const resolved = resolveOptions({ workers: 1, chunkSize: 64 })
    // The limit is 40,000 rows; 2,048 here keeps the test short.
    const threaded = new Engine(new ObjectSource(rows, 64, undefined, undefined), resolved, { smallStreamRows: 2048 })
    const out = await rowsOf(threaded)
    expect(threaded.summary()?.workers).toBe(1)
    const inProcess = analyzeBatch(rows, { workers: 1, chunkSize: 64 })
    const expected = await collect(inProcess)
    expect(inProcess.summary().workers).toBe(0)
    expect(out).toEqual(expected)
  })

  it('starts threads for an input of unknown size once its held rows pass the byte limit, however few they are', async () => {
    // 120 rows of about 2 KB: far below the row limit, past a byte limit of 64 KB
    // (16 MB in use: 40,000 rows of 5 KB held in memory would be 200 MB, run on one thread).
    const rows = syntheticRows(120, 8).map((r, i) => (i % 10 === 0 ? r : { id: `l${i}`, text: 'El pedido llegó bien y funciona. '.repeat(60) }))
    const pipe = new PassThrough()
    pipe.end(jsonl(rows))
    const resolved = resolveOptions({ workers: 1, chunkSize: 16 })
    const source = await openStreamSource(pipe, { chunkSize: 16, maxRowBytes: 1 << 20 })
    const engine = new Engine(source, resolved, { smallStreamBytes: 64 * 1024 })
    const out = await rowsOf(engine)
    expect(engine.summary()?.workers).toBe(1)
    const here = analyzeBatch(rows, { workers: 0, chunkSize: 16 })
    expect(out).toEqual(await collect(here))
  })

  it('starts threads for an input of unknown size whose rows are still coming after the hold time', async () => {
    // A slow producer: held rows would wait unanalyzed (no progress) until the row limit or the end.
    async function* slow() {
      for (let i = 0; i < 64; i++) yield { id: `s${i}`, text: 'Prodotto ottimo, lo consiglio.' }
      await new Promise((resolve) => setTimeout(resolve, 300))
      for (let i = 64; i < 128; i++) yield { id: `s${i}`, text: 'Arrived late, box damaged.' }
    }
    const resolved = resolveOptions({ workers: 1, chunkSize: 16 })
    const engine = new Engine(new ObjectSource(slow(), 16, undefined, undefined), resolved, { smallStreamMs: 100 })
    let rows = 0
    for await (const batch of engine.batches()) rows += batch.rows
    expect(rows).toBe(128)
    expect(engine.summary()?.workers).toBe(1)
  })

  it('starts no threads for the rows held when a run is stopped, however long they waited', async () => {
    const controller = new AbortController()
    async function* stalled() {
      for (let i = 0; i < 20; i++) yield { id: `h${i}`, text: 'Buen producto, llegó a tiempo.' }
      // Nothing more, ever: the last 4 rows wait short of a chunk until the stop.
      await new Promise(() => {})
    }
    setTimeout(() => controller.abort(), 300)
    const resolved = resolveOptions({ workers: 1, chunkSize: 16, signal: controller.signal })
    const engine = new Engine(new ObjectSource(stalled(), 16, undefined, undefined), resolved, { smallStreamMs: 100 })
    let rows = 0
    for await (const batch of engine.batches()) rows += batch.rows
    expect(rows).toBe(20)
    expect(engine.summary()).toMatchObject({ aborted: true, workers: 0 })
  })

  it('counts an input of unknown size across its windows: in-process while within bounds, threads once past them', async () => {
    const rows = syntheticRows(2500, 9)
    const reference = await collect(analyzeBatch(rows, { workers: 0, chunkSize: 64, window: 1000 }))
    async function run(smallStreamRows: number): Promise<{ lines: unknown[]; workers: number | undefined; windows: number | undefined }> {
      const resolved = resolveOptions({ chunkSize: 64, window: 1000 })
      const engine = new Engine(new ObjectSource(rows, 64, 1000, undefined), resolved, { smallStreamRows })
      const lines = await rowsOf(engine)
      return { lines, workers: engine.summary()?.workers, windows: engine.summary()?.windows }
    }
    // Three windows of 1,000 rows within 40,000: each runs on this thread.
    const within = await run(40_000)
    expect(within).toEqual({ lines: reference, workers: 0, windows: 3 })
    // Past 1,500 rows counted over the windows, the third window gets threads.
    const past = await run(1500)
    expect(past.workers).toBeGreaterThanOrEqual(1)
    expect(past.lines).toEqual(reference)
  })

  it('runs any input in-process for no workers (0), with the same results as worker threads', async () => {
    const rows = syntheticRows(2200, 5)
    const threaded = analyzeBatch(rows, { workers: 2, chunkSize: 64 })
    const expected = await collect(threaded)
    expect(threaded.summary().workers).toBe(2)
    const here = analyzeBatch(rows, { workers: 0, chunkSize: 64 })
    expect(await collect(here)).toEqual(expected)
    expect(here.summary().workers).toBe(0)
  })

  it('runs a file under 16 MB in-process when one worker or the default is asked for, and threads for more', async () => {
    // 5 MB: one worker's start-up (modules and tables loaded again) costs more than it saves here.
    const path = tempFile('five-mb.jsonl', jsonl(syntheticRows(30, 3)).padEnd(5 * 1024 * 1024, '\n'))
    for (const options of [{}, { workers: 1 }]) {
      const run = analyzeFile(path, { ...options, chunkSize: 16 })
      expect((await collect(run)).length).toBe(30)
      expect(run.summary().workers).toBe(0)
    }
    const two = analyzeFile(path, { workers: 2, chunkSize: 16 })
    await collect(two)
    expect(two.summary().workers).toBe(2)
  })

  it('runs a small file in-process when the worker count is left to the default', async () => {
    const run = analyzeFile(tempFile('small.jsonl', jsonl(syntheticRows(30, 3))), { chunkSize: 4 })
    await collect(run)
    expect(run.summary().workers).toBe(0)
  })

  it('gives a file one default worker per 16 MB, up to one per core, and stdin one per core', () => {
    const cores = Math.max(1, availableParallelism())
    expect(defaultWorkers(3_800_000)).toBe(1)
    expect(defaultWorkers(16 * 1024 * 1024 + 1)).toBe(Math.min(2, cores))
    expect(defaultWorkers(10 * 1024 ** 3)).toBe(cores)
    expect(defaultWorkers(undefined)).toBe(cores)
  })

  it('writes the same bytes when the results spill to disk', async () => {
    const path = tempFile('s.jsonl', jsonl(syntheticRows(120, 7)))
    expect(await outputOf(path, { workers: 1, chunkSize: 16 }, 0)).toBe(await outputOf(path, { workers: 1, chunkSize: 16 }))
  })

  it('reads a JSON array (indented, gzip-compressed) as the JSON Lines of its elements, for any worker count and chunk size', async () => {
    const rows = syntheticRows(120, 31)
    const fromLines = await outputOf(tempFile('a.jsonl', jsonl(rows)), { workers: 1, chunkSize: 256 })
    const indented = tempFile('a.json', JSON.stringify(rows, null, 2))
    expect(await outputOf(indented, { workers: 1, chunkSize: 256 })).toBe(fromLines)
    expect(await outputOf(indented, { workers: 2, chunkSize: 5 })).toBe(fromLines)
    const packed = tempFile('a.json.gz', gzipSync(JSON.stringify(rows)))
    expect(await outputOf(packed, { workers: 2, chunkSize: 7 })).toBe(fromLines)
    const run = analyzeFile(indented)
    await collect(run)
    expect(run.summary().input.format).toBe('json')
  })

  it('reads the array of reviews in an object that holds it (an API answer, pages of them, gzip) as the JSON Lines of its elements', async () => {
    const rows = syntheticRows(120, 32)
    const fromLines = await outputOf(tempFile('w.jsonl', jsonl(rows)), { workers: 1, chunkSize: 256 })
    const answer = { meta: { total: 120, filters: ['5 stars'] }, data: { reviews: rows }, links: { next: null } }
    const indented = tempFile('w.json', JSON.stringify(answer, null, 2))
    expect(await outputOf(indented, { workers: 1, chunkSize: 256 })).toBe(fromLines)
    expect(await outputOf(indented, { workers: 2, chunkSize: 5 })).toBe(fromLines)
    const pages = [0, 50, 100].map((from) => JSON.stringify({ page: from / 50 + 1, reviews: rows.slice(from, from + 50) })).join('\n')
    expect(await outputOf(tempFile('pages.json.gz', gzipSync(pages)), { workers: 2, chunkSize: 7, arrayPath: 'reviews' })).toBe(fromLines)
    // Asked for by path: the summary says which array was read.
    const run = analyzeFile(tempFile('w2.json', JSON.stringify(answer)), { arrayPath: '$.data.reviews' })
    expect((await collect(run)).length).toBe(120)
    expect(run.summary().input).toEqual({ format: 'json', arrayPath: 'data.reviews' })
    expect(() => analyzeFile(indented, { arrayPath: 'data.reviews', format: 'csv' })).toThrow(/option "arrayPath": needs JSON input, not csv/)
    for (const path of ['data..reviews', '$', 'reviews[*]', 'data.*']) {
      expect(() => analyzeFile(indented, { arrayPath: path }), path).toThrow(/option "arrayPath": expected keys joined by dots/)
    }
  })

  it('reads the array of an object that goes on over lines, one element per line, when its elements keep their text nested', async () => {
    const answer = '{"meta":{"page":1},"data":{"reviews":[\n{"id":"r1","review":{"text":"Llegó rota.","rating":1}},\n{"id":"r2","review":{"text":"Perfecta.","rating":5}}\n]}}\n'
    const run = analyzeFile(tempFile('nested.json', answer), { map: { text: 'review.text', rating: 'review.rating' } })
    const rows = await collect(run)
    expect(rows.map((r) => [r.id, r.ok, r.ok ? r.rating : r.error.message])).toEqual([['r1', true, 1], ['r2', true, 5]])
    expect(run.summary().input).toEqual({ format: 'json', arrayPath: 'data.reviews' })
  })

  it('reads an answer with no reviews (an empty array) as no rows, beside answers that have some', async () => {
    const some = tempFile('page1.json', JSON.stringify({ data: { reviews: [{ id: 'x1', text: 'Muy bueno' }] }, total: 1 }, null, 2))
    const none = tempFile('page2.json', JSON.stringify({ data: { reviews: [] }, total: 0 }, null, 2))
    const noneOnOneLine = tempFile('page3.json', JSON.stringify({ data: { reviews: [] }, total: 0 }))
    const run = analyzeFile([some, none, noneOnOneLine])
    expect((await collect(run)).map((r) => [r.id, r.ok])).toEqual([['x1', true]])
    expect(run.summary().input.files?.map((f) => [f.rows, f.arrayPath])).toEqual([[1, 'data.reviews'], [0, 'data.reviews'], [0, 'data.reviews']])
  })

  it('keeps the digits of an integer id too long for a double, in JSON Lines and a JSON array alike', async () => {
    const rows = [
      '{"id":12345678901234567891,"text":"Muy bueno, pedido 98765432109876543210","product":9007199254740993,"rating":5}',
      '{"id":12345678901234567892,"text":"Muy bueno","product":9007199254740992,"author":-9223372036854775807}',
    ]
    for (const [name, text] of [['long.jsonl', `${rows.join('\n')}\n`], ['long.json', `[${rows.join(',\n')}]`]] as const) {
      const out = (await collect(analyzeFile(tempFile(name, text)))).map(ok)
      expect(out.map((r) => [r.id, r.product, r.author, r.rating]), name).toEqual([
        ['12345678901234567891', '9007199254740993', undefined, 5],
        ['12345678901234567892', '9007199254740992', '-9223372036854775807', null],
      ])
    }
  })

  it('gives a one-line review with an empty list and no text an error row, not no row', async () => {
    for (const name of ['one.txt', 'one.json']) {
      const out = await collect(analyzeFile(tempFile(name, '{"rating":5,"photos":[]}\n')))
      expect(out.map((r) => (r.ok ? r.id : r.error.code)), name).toEqual(['required'])
    }
    const mapped = await collect(analyzeFile(tempFile('m.json', '{"review":{"body":"Llegó rápido, muy bueno"},"tags":[]}'), { map: { text: 'review.body' } }))
    expect(mapped.map((r) => r.ok)).toEqual([true])
  })

  it('reads the rows after a JSON Lines row broken by a line break in its text, not the replies in it', async () => {
    const lines = '{"id":"r1","replies":[{"text":"Thanks!"}],"text":"Line one\nline two"}\n{"id":"r2","text":"Perfecta."}\n{"id":"r3","text":"Llegó rota."}\n'
    for (const name of ['broken.json', 'broken.jsonl']) {
      const run = analyzeFile(tempFile(name, lines))
      const rows = await collect(run)
      expect(rows.map((r) => [r.id, r.ok || r.error.code]), name).toEqual([['r1', 'invalid_json'], [null, 'invalid_json'], ['r2', true], ['r3', true]])
      expect(run.summary().input, name).toEqual({ format: 'jsonl' })
    }
  })

  it('reads a file of many small gzip members (one per line) as the file of its lines, damaged members and trailing data as before', async () => {
    const lines = jsonl(syntheticRows(600, 44)).split('\n').slice(0, -1)
    const plain = await outputOf(tempFile('lines.jsonl', `${lines.join('\n')}\n`), { workers: 1 })
    const members = Buffer.concat(lines.map((l) => gzipSync(`${l}\n`)))
    expect(await outputOf(tempFile('members.jsonl.gz', members), { workers: 2, chunkSize: 7 })).toBe(plain)
    // Junk after the last member: the rows, and the input says what was ignored.
    const run = analyzeFile(tempFile('junk.jsonl.gz', Buffer.concat([members, Buffer.from('junk\n')])), { workers: 1 })
    expect((await collect(run)).length).toBe(600)
    expect(run.summary().input.incomplete).toMatch(/has trailing data after its compressed data \(from byte \d+\), which was ignored/)
    // A damaged member in the middle fails the file, as one large member does.
    const one = gzipSync(`${lines[0]}\n`)
    const bad = Buffer.from(one)
    bad[12] = bad[12]! ^ 0xff
    await expect(collect(analyzeFile(tempFile('bad.jsonl.gz', Buffer.concat([one, bad, one]))))).rejects.toThrow(/not valid gzip data/)
  })

  it('reads a cut-off gzip file to its last whole row for any chunk size and worker count', async () => {
    const text = jsonl(syntheticRows(3000, 41))
    const packed = gzipSync(text)
    const cut = packed.subarray(0, Math.floor(packed.length * 0.6))
    // What a tolerant inflater recovers from the cut file: its whole lines, then part of one.
    const recovered = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8')
    const whole = recovered.split('\n').length - 1
    const path = tempFile('cut.jsonl.gz', cut)
    const reference = await outputOf(path, { workers: 1, chunkSize: 256 })
    expect(reference.split('\n')).toHaveLength(whole + 1 + 1)
    expect(await outputOf(path, { workers: 1, chunkSize: 4 })).toBe(reference)
    expect(await outputOf(path, { workers: 2, chunkSize: 16 })).toBe(reference)
  })

  it('ends the reports of each window with one that says the cross-review pass starts, even when the input ends where a window does', async () => {
    const seen: Progress[] = []
    const rows = Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, text: `Bien, sin más. ${i}` }))
    await collect(analyzeBatch(rows, { window: 4, workers: 1, onProgress: (p) => seen.push(p) }))
    const marks = seen.map((p) => `${p.rows}${p.phase === 'crossReview' ? ' cross' : ''}`)
    expect(marks.filter((m) => m.endsWith('cross'))).toEqual(['4 cross', '8 cross'])
    expect(marks.at(-1)).toBe('8 cross')
  })

  it('reports the progress of a compressed file through its compressed bytes, rising to its size', async () => {
    // Random ids keep the data from compressing to a few reads.
    const rows = syntheticRows(6000, 43).map((r) => (Array.isArray(r) || r === null || typeof r !== 'object' ? r : { ...r, tag: randomBytes(24).toString('hex') }))
    const packed = gzipSync(jsonl(rows))
    const path = tempFile('progress.jsonl.gz', packed)
    const seen: Progress[] = []
    await collect(analyzeFile(path, { workers: 1, chunkSize: 128, onProgress: (p) => seen.push(p) }))
    expect(seen.length).toBeGreaterThan(1)
    for (const p of seen) {
      expect(p.compressed).toBe(true)
      expect(p.totalBytes).toBe(packed.length)
    }
    const last = seen.at(-1)!
    expect(last.rows).toBe(6000)
    expect(last.bytes).toBe(packed.length)
    // The last report, and only it, says the cross-review pass has started.
    expect(seen.map((p) => p.phase ?? 'read')).toEqual([...seen.slice(1).map(() => 'read'), 'crossReview'])
    const bytes = seen.map((p) => p.bytes!)
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b))
    // Bytes read run ahead of the rows by at most a read (64 KB) and zlib's buffer.
    const early = seen.find((p) => p.rows > 0 && p.rows < 6000)
    if (early !== undefined) expect(early.bytes!).toBeLessThan((early.rows / 6000) * packed.length + 96 * 1024)
  })

  it('says where the time went: the three passes add up to the run', async () => {
    const path = tempFile('phases.jsonl', jsonl(syntheticRows(400, 47)))
    const run = analyzeFile(path, { workers: 1, chunkSize: 64 })
    await collect(run)
    const { elapsedMs, phases } = run.summary()
    expect(phases.analyzeMs + phases.crossReviewMs + phases.writeMs).toBe(elapsedMs)
    for (const ms of Object.values(phases)) expect(ms).toBeGreaterThanOrEqual(0)
    // Starting a worker thread alone takes longer than a millisecond.
    expect(phases.analyzeMs).toBeGreaterThan(0)
  })

  it('gives CSV the same results for any chunk size', async () => {
    const rows = syntheticRows(80, 99).filter((r): r is Record<string, unknown> => !Array.isArray(r))
    const csv = `id,text,rating\n${rows.map((r) => `${r.id},"${String(r.text ?? '').replaceAll('"', '""')}",${typeof r.rating === 'number' ? r.rating : ''}`).join('\n')}\n`
    const path = tempFile('d.csv', csv)
    const reference = await outputOf(path, { workers: 1, chunkSize: 256 })
    expect(await outputOf(path, { workers: 2, chunkSize: 3 })).toBe(reference)
  })
})

describe('several files (one batch)', () => {
  async function outputOfAll(paths: string[], options: Parameters<typeof resolveOptions>[0]): Promise<string> {
    const resolved = resolveOptions(options)
    return textOf(new Engine(await openInputs(paths, resolved), resolved, {}))
  }

  it('reads files of any format one after another as the rows of one file, for any worker count, chunk size and window', async () => {
    const rows = syntheticRows(300, 61)
    const whole = tempFile('all.jsonl', jsonl(rows))
    const parts = [
      tempFile('p1.jsonl', jsonl(rows.slice(0, 110))),
      tempFile('p2.json', JSON.stringify({ data: { reviews: rows.slice(110, 200) } }, null, 2)),
      tempFile('p3.jsonl.gz', gzipSync(jsonl(rows.slice(200)))),
    ]
    for (const options of [{ workers: 1, chunkSize: 256 }, { workers: 2, chunkSize: 7 }, { workers: 2, chunkSize: 16, window: 64 }]) {
      // Error rows name their file; the rest is the same bytes.
      const named = (await outputOfAll(parts, options)).replace(/"message":"p\d\.jsonl?(?:\.gz)?: /g, '"message":"')
      expect(named, JSON.stringify(options)).toBe(await outputOf(whole, options))
    }
  })

  it('names the file in its rows problems, and lists the files in the summary', async () => {
    const a = tempFile('a.csv', 'id,text\n1,Muy bueno\n2,"sin cerrar\n')
    const b = tempFile('b.json', '[{"id":"3","text":"Ottimo"},\n{"id":"4","text":"Pessimo"}')
    const run = analyzeFile([a, b])
    const out = await collect(run)
    expect(out.map((r) => (r.ok ? r.id : `${r.error.code}: ${r.error.message}`))).toEqual([
      '1',
      `truncated: ${a}: line 3 is cut off: the file ends inside a quoted field`,
      '3',
      '4',
      `truncated: ${b}: the file ends at line 2 before the JSON array is closed with "]": it may be cut off`,
    ])
    expect(out.map((r) => r.row)).toEqual([1, 2, 3, 4, 5])
    expect(run.summary().input).toEqual({
      format: 'csv',
      delimiter: ',',
      columns: ['id', 'text'],
      files: [
        { name: a, format: 'csv', rows: 2, delimiter: ',', columns: ['id', 'text'], fields: { id: 'id', text: 'text' } },
        { name: b, format: 'json', rows: 3, fields: { id: 'id', text: 'text' } },
      ],
    })
  })

  it('reads a CSV separated by "|", as database exports write them, by its name or by its content', async () => {
    const csv = 'id|text|rating\n1|Llegó tarde, pero funciona bien|4\n2|Pessimo, non funziona|1\n'
    for (const name of ['p.csv', 'p.txt']) {
      const rows = await collect(analyzeFile(tempFile(name, csv)))
      expect(rows.map((r) => (r.ok ? [r.id, r.rating] : r.error.message))).toEqual([
        ['1', 4],
        ['2', 1],
      ])
    }
  })

  it('refuses before any row a missing file, a CSV without a text column, stdin among files, or no file', async () => {
    const good = tempFile('g.jsonl', jsonl(syntheticRows(5, 3)))
    await expect(collect(analyzeFile([good, join(tempDir(), 'missing.jsonl')]))).rejects.toThrow(/cannot read .*missing\.jsonl: no such file/)
    const noText = tempFile('n.csv', 'id,stars\n1,5\n')
    await expect(collect(analyzeFile([good, noText]))).rejects.toThrow(/n\.csv: no review text column in the CSV header \(id, stars\)/)
    await expect(collect(analyzeFile([good, '-']))).rejects.toThrow(/stdin \(-\) cannot be one of several inputs/)
    expect(() => analyzeFile([])).toThrow(/expected a file path, an array of them, or a stream of a file's bytes, got an empty array$/)
    expect(() => analyzeFile([good, ''])).toThrow(/got an array holding ""$/)
    expect(() => analyzeFile(7 as never)).toThrow(/got 7$/)
  })

  it('keeps only the file being read open', async (ctx) => {
    if (!existsSync('/proc/self/fd')) return ctx.skip('no /proc/self/fd to count open files')
    const paths = Array.from({ length: 40 }, (_, k) => tempFile(`many${k}.jsonl`, jsonl(syntheticRows(3, 100 + k))))
    const before = readdirSync('/proc/self/fd').length
    const source = await openInputs(paths, resolveOptions({}))
    expect(readdirSync('/proc/self/fd').length - before).toBeLessThanOrEqual(2)
    await source.close()
  })

  it('reports progress through the bytes of all the files, compressed ones by their bytes on disk', async () => {
    const rows = syntheticRows(2000, 62)
    const a = tempFile('pa.jsonl', jsonl(rows.slice(0, 1000)))
    const b = tempFile('pb.jsonl.gz', gzipSync(jsonl(rows.slice(1000))))
    const reports: Progress[] = []
    await collect(analyzeFile([a, b], { workers: 1, chunkSize: 64, onProgress: (p) => reports.push(p) }))
    const total = statSync(a).size + statSync(b).size
    expect(reports.every((p) => p.totalBytes === total && p.compressed === true)).toBe(true)
    const bytes = reports.map((p) => p.bytes!)
    expect(bytes.every((x, i) => i === 0 || x >= bytes[i - 1]!)).toBe(true)
    expect(bytes.at(-1)).toBe(total)
  })
})

describe('windows (the window option)', () => {
  const copy = 'The blender arrived quickly, the motor is strong and the jug is easy to clean after every smoothie.'
  const rowsWithCopies = (): Record<string, unknown>[] =>
    Array.from({ length: 120 }, (_, i) => ({
      id: `w${i + 1}`,
      text: i === 0 || i === 59 ? copy : `Review number ${i + 1}: ${['good value', 'slow delivery', 'nice colour', 'broke soon'][i % 4]} for product ${i % 7}.`,
      rating: 1 + (i % 5),
    }))

  it('gives the same bytes for any worker count and chunk size, windows or not cut the same way', async () => {
    const path = tempFile('windows.jsonl', jsonl(syntheticRows(150, 53)))
    const reference = await outputOf(path, { workers: 1, chunkSize: 256, window: 40 })
    expect(reference.split('\n')).toHaveLength(151)
    for (const [workers, chunkSize] of [
      [1, 7],
      [2, 16],
      [2, 40],
      [1, 1],
    ] as const) {
      expect(await outputOf(path, { workers, chunkSize, window: 40 })).toBe(reference)
    }
    const csv = `id,text\n${Array.from({ length: 90 }, (_, i) => `${i},"Prodotto ${i}, arrivato in tempo"`).join('\n')}\n`
    const csvPath = tempFile('windows.csv', csv)
    expect(await outputOf(csvPath, { workers: 2, chunkSize: 7, window: 25 })).toBe(await outputOf(csvPath, { workers: 1, chunkSize: 256, window: 25 }))
  })

  it('finds copies within a window only, and adds the windows up in the summary', async () => {
    const duplicated = async (window?: number) => {
      const run = analyzeBatch(rowsWithCopies(), window === undefined ? { workers: 1 } : { workers: 1, window })
      const out = await collect(run)
      const first = ok(out[0]).authenticity.signals.some((s) => s.type === 'duplicate')
      return { first, summary: run.summary() }
    }
    const whole = await duplicated()
    expect(whole.first).toBe(true)
    expect(whole.summary.windows).toBeUndefined()
    const apart = await duplicated(50)
    expect(apart.first).toBe(false)
    expect(apart.summary.windows).toBe(3)
    expect(apart.summary.rows).toBe(120)
    expect(apart.summary.authenticity.reviews).toBe(120)
    expect(apart.summary.authenticity.products).toEqual([])
    const together = await duplicated(60)
    expect(together.first).toBe(true)
    // 120 rows in windows of 60: two windows, not a third empty one.
    expect(together.summary.windows).toBe(2)
  })

  it('names clusters by window, counts only windows with rows, and keeps the per-product figures of a single window', async () => {
    const rows = rowsWithCopies()
      .slice(0, 60)
      .map((r, i) => ({ ...r, product: `p${i % 3}` }))
    const run = analyzeBatch(rows, { workers: 1, window: 60 })
    const out = await collect(run)
    const dup = ok(out[0]).authenticity.signals.find((s) => s.type === 'duplicate')
    expect(dup?.cluster).toBe('w1-dup-1')
    // 60 rows in windows of 60 end where a window does: one window, its products kept.
    expect(run.summary().windows).toBe(1)
    expect(run.summary().authenticity.products.length).toBeGreaterThan(0)
    const none = analyzeBatch([], { window: 10 })
    await collect(none)
    expect(none.summary().windows).toBe(0)
  })

  it('gives a CSV that ends inside a quoted field the same last row for any chunk size and window', async () => {
    const path = tempFile('open-quote.csv', 'id,text\n1,ciao\n2,"non chiuso')
    const reference = await outputOf(path, { workers: 1, chunkSize: 256 })
    expect(reference.split('\n')).toHaveLength(3)
    expect((JSON.parse(reference.split('\n')[1]!) as ErrorRow).error.code).toBe('truncated')
    for (const options of [{ chunkSize: 1 }, { chunkSize: 2 }, { window: 1 }, { window: 2, chunkSize: 7 }]) {
      expect(await outputOf(path, { workers: 1, ...options })).toBe(reference)
    }
  })

  it('stops a run whose rows have stopped coming when it is aborted', async () => {
    const controller = new AbortController()
    async function* quiet() {
      for (let i = 1; i <= 3; i++) yield { id: `q${i}`, text: `Buen producto ${i}` }
      // Nothing more, ever.
      await new Promise(() => {})
    }
    setTimeout(() => controller.abort(), 300)
    const run = analyzeBatch(quiet(), { window: 10, signal: controller.signal })
    const out = await collect(run)
    expect(out.map((r) => r.id)).toEqual(['q1', 'q2', 'q3'])
    expect(run.summary().aborted).toBe(true)
  })

  it('reads gzip from a slow pipe without waiting for more of it', async () => {
    const gzip = createGzip()
    const packed: Buffer[] = []
    gzip.on('data', (b: Buffer) => packed.push(b))
    gzip.write('{"id":"g1","text":"Ottimo"}\n')
    await new Promise<void>((resolve) => gzip.flush(() => resolve()))
    // The pipe sends the first line's compressed bytes and then nothing more for now.
    const pipe = new PassThrough()
    pipe.write(Buffer.concat(packed))
    const resolved = resolveOptions({})
    const opened = openStreamSource(pipe, { chunkSize: 256, maxRowBytes: 1 << 20 })
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 2000))
    const source = await Promise.race([opened, timeout])
    expect(source).not.toBe('still waiting')
    expect((source as Awaited<typeof opened>).format).toBe('jsonl')
    pipe.destroy()
    gzip.destroy()
    expect(resolved.chunkSize).toBe(256)
  })

  it('writes a window as soon as it is complete, before the input ends', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    async function* stream() {
      for (let i = 1; i <= 5; i++) yield { id: `s${i}`, text: `Ottimo prodotto numero ${i}` }
      // The rest of the stream comes only once the first window's rows are out.
      await gate
      for (let i = 6; i <= 8; i++) yield { id: `s${i}`, text: `Pessimo servizio numero ${i}` }
    }
    const seen: string[] = []
    for await (const row of analyzeBatch(stream(), { window: 5 })) {
      seen.push(row.id ?? '')
      if (seen.length === 5) release()
    }
    expect(seen).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'])
  })

  /** Until `done()` holds (checked every 10 ms), or 5 s have gone by. */
  async function until(done: () => boolean): Promise<boolean> {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10))
    return done()
  }

  for (const workers of [0, 1]) {
    it(`reads and scores the next window while the one before is handed out, and only that one (workers: ${workers})`, async () => {
      const rows = Array.from({ length: 30 }, (_, i) => ({ id: `r${i + 1}`, text: `Buon prodotto, arrivato presto e ben imballato. ${i}` }))
      let scored = 0
      const run = analyzeBatch(rows, { window: 10, workers, chunkSize: 5, onProgress: (p) => (scored = Math.max(scored, p.rows)) })
      const results = run[Symbol.asyncIterator]()
      const first = await results.next()
      expect(first.value).toMatchObject({ row: 1 })
      // The consumer holds the first window's rows: the second window is scored meanwhile.
      expect(await until(() => scored === 20)).toBe(true)
      await new Promise((r) => setTimeout(r, 100))
      expect(scored).toBe(20)
      const rest: ResultRow[] = []
      for (let next = await results.next(); next.done !== true; next = await results.next()) rest.push(next.value)
      expect(rest.map((r) => r.row)).toEqual(rows.slice(1).map((_, i) => i + 2))
      expect(run.summary()).toMatchObject({ rows: 30, windows: 3, aborted: false })
    })
  }

  /**
   * A run in windows of 10 rows (`start` makes it with these options), stopped
   * at its 5th row once the window after it is scored; its rows.
   */
  async function stoppedWhileHandedOut(start: (options: Options) => BatchRun): Promise<{ run: BatchRun; out: ResultRow[] }> {
    const stop = new AbortController()
    let scored = 0
    const run = start({ window: 10, workers: 0, signal: stop.signal, onProgress: (p) => (scored = Math.max(scored, p.rows)) })
    const out: ResultRow[] = []
    for await (const row of run) {
      out.push(row)
      if (out.length === 5) {
        expect(await until(() => scored === 20)).toBe(true)
        stop.abort()
      }
    }
    return { run, out }
  }

  it('ends the output with the window being handed out when stopped then, dropping the window read meanwhile', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `r${i + 1}`, text: `Buon prodotto, arrivato presto e ben imballato. ${i}` }))
    const { run, out } = await stoppedWhileHandedOut((options) => analyzeBatch(rows, options))
    expect(out.map((r) => r.row)).toEqual(rows.slice(0, 10).map((_, i) => i + 1))
    expect(run.summary()).toMatchObject({ rows: 10, windows: 1, aborted: true })
  })

  it('leaves the window dropped at a stop out of the summary: its files rows, columns and keep keys', async () => {
    const lines = (from: number, n: number, extra: object) =>
      jsonl(Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, text: `Buon prodotto, arrivato presto e ben imballato. ${from + i}`, ...extra })))
    const a = tempFile('first.jsonl', lines(1, 10, {}))
    const b = tempFile('second.jsonl', lines(11, 20, { author: 'Ada', sku: 'X1' }))
    const { run, out } = await stoppedWhileHandedOut((options) => analyzeFile([a, b], { ...options, keep: ['sku'] }))
    expect(out).toHaveLength(10)
    const summary = run.summary()
    expect(summary).toMatchObject({ rows: 10, windows: 1, aborted: true, missingKeep: ['sku'] })
    expect(summary.fields).not.toHaveProperty('author')
    expect(summary.input.files?.map((f) => [f.rows, f.fields?.author])).toEqual([
      [10, undefined],
      [0, undefined],
    ])
  })

  it('counts the rows to write as those of the windows handed out, not the one read meanwhile', async () => {
    const resolved = resolveOptions({ window: 10, workers: 0 })
    const engine = new Engine(new ObjectSource(syntheticRows(30, 71), 5, undefined, undefined), resolved)
    const seen: [number, number][] = []
    for await (const _ of engine.batches()) {
      // The progress line's "writing N of M rows": M is the windows handed out so far.
      if (seen.length === 0) expect(await until(() => engine.rowsAnalyzed === 20)).toBe(true)
      seen.push([engine.rowsToWrite, engine.rowsAnalyzed])
    }
    expect(seen[0]).toEqual([10, 20])
    expect(seen.at(-1)).toEqual([30, 30])
  })

  it('ends a loop that leaves early while the next window is read in threads, and closes its temporary files', async (ctx) => {
    if (!existsSync('/proc/self/fd')) return ctx.skip('no /proc/self/fd to count open files')
    const before = readdirSync('/proc/self/fd').length
    const resolved = resolveOptions({ window: 200, workers: 2, chunkSize: 16 })
    // Results go to temporary files at once (spillLimit 1).
    const engine = new Engine(new ObjectSource(syntheticRows(600, 61), 16, undefined, undefined), resolved, { spillLimit: 1 })
    let batches = 0
    let open = 0
    for await (const _ of engine.batches()) {
      // The first window's results file, and the second window's, read meanwhile.
      open = readdirSync('/proc/self/fd').length - before
      if (++batches === 1) break
    }
    expect(open).toBeGreaterThanOrEqual(1)
    // Spill files are closed in the background (by the thread pool, which other work may keep busy).
    expect(await until(() => readdirSync('/proc/self/fd').length <= before)).toBe(true)
    expect(engine.summary()).toBeUndefined()
  })
})

describe('quiet windows (the windowIdleMs option)', () => {
  const copy = 'The kettle boils fast, the lid closes well and the handle stays cool to the touch.'

  /**
   * Rows `first`, then a pause that lasts until the caller has seen `first.length`
   * results (or 5 s, which would mean the window was held back), then `rest`.
   */
  function paused(first: Record<string, unknown>[], rest: Record<string, unknown>[]) {
    const state = { releasedBy: '' as '' | 'results' | 'timeout', release: () => {} }
    const gate = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        state.releasedBy ||= 'timeout'
        resolve()
      }, 5000)
      state.release = () => {
        state.releasedBy ||= 'results'
        clearTimeout(timer)
        resolve()
      }
    })
    async function* rows() {
      yield* first
      await gate
      yield* rest
    }
    return { rows: rows(), state }
  }

  it('ends a window when the rows stop coming, before it is full', async () => {
    const { rows, state } = paused(
      [
        { id: 'q1', text: copy },
        { id: 'q2', text: 'Arrivato in ritardo, ma funziona.' },
        { id: 'q3', text: 'Muy buena calidad por el precio.' },
      ],
      [
        { id: 'q4', text: copy },
        { id: 'q5', text: 'Never again, it broke in a week.' },
      ],
    )
    const run = analyzeBatch(rows, { workers: 1, window: 1000, windowIdleMs: 50 })
    const seen: ResultRow[] = []
    for await (const row of run) {
      seen.push(row)
      if (seen.length === 3) state.release()
    }
    expect(state.releasedBy).toBe('results')
    expect(seen.map((r) => r.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5'])
    expect(seen.map((r) => r.row)).toEqual([1, 2, 3, 4, 5])
    // The copies were in different windows.
    expect(ok(seen[3]).authenticity.signals.some((s) => s.type === 'duplicate')).toBe(false)
    expect(run.summary().windows).toBe(2)
    expect(run.summary().rows).toBe(5)
  })

  it('ends a window whose rows were all handed on already (a chunk of no rows closes it)', async () => {
    // Chunks of 2 rows: both rows leave the reader before the pause, so nothing is held when it comes.
    const { rows, state } = paused(
      [
        { id: 'a1', text: 'Ottimo' },
        { id: 'a2', text: 'Pessimo' },
      ],
      [{ id: 'a3', text: 'Normale' }],
    )
    const run = analyzeBatch(rows, { workers: 1, chunkSize: 2, window: 1000, windowIdleMs: 50 })
    const seen: string[] = []
    for await (const row of run) {
      seen.push(row.id ?? '')
      if (seen.length === 2) state.release()
    }
    expect(state.releasedBy).toBe('results')
    expect(seen).toEqual(['a1', 'a2', 'a3'])
    expect(run.summary().windows).toBe(2)
  })

  it('ends the window of a byte stream (JSON Lines and CSV) that goes quiet, keeping the line being read', async () => {
    for (const [format, head, lines, tail] of [
      ['jsonl', '', ['{"id":"b1","text":"Buono"}\n', '{"id":"b2","text":"Cattivo"}\n', '{"id":"b3","te'], 'xt":"Bello"}\n'],
      ['csv', 'id,text\n', ['b1,Buono\n', 'b2,"Cattivo, ', 'molto"\n', 'b3,"Bel'], 'lo"\n'],
    ] as const) {
      const pipe = new PassThrough()
      pipe.write(head + lines.join(''))
      const resolved = resolveOptions({ window: 1000, windowIdleMs: 50, format })
      const engine = new Engine(await openStreamSource(pipe, { format, chunkSize: 256, window: 1000, windowIdleMs: 50, maxRowBytes: 1 << 20 }), resolved)
      const timer = setTimeout(() => pipe.end(tail), 5000)
      const ids: string[][] = []
      for await (const batch of engine.batches()) {
        ids.push(batch.lines().map((l) => (JSON.parse(l) as ResultRow).id ?? ''))
        // The first window is out while the third row is still half sent.
        if (ids.length === 1) {
          clearTimeout(timer)
          pipe.end(tail)
        }
      }
      expect(ids, format).toEqual([['b1', 'b2'], ['b3']])
      expect(engine.summary()?.windows, format).toBe(2)
      expect(engine.summary()?.errors, format).toBe(0)
    }
  })

  it('scores a quiet trickle on this thread, and starts threads once a window brings more rows', async () => {
    const few = [1, 2, 3].map((i) => ({ id: `t${i}`, text: `Ottimo prodotto ${i}` }))
    const trickle = paused(few, [{ id: 't4', text: 'Pessimo' }])
    const small = analyzeBatch(trickle.rows, { window: 1000, windowIdleMs: 50 })
    const seen: string[] = []
    for await (const row of small) {
      seen.push(row.id ?? '')
      if (seen.length === 3) trickle.state.release()
    }
    expect(trickle.state.releasedBy).toBe('results')
    expect(seen).toEqual(['t1', 't2', 't3', 't4'])
    expect(small.summary().workers).toBe(0)

    const burst = paused(few, syntheticRows(2100, 5) as Record<string, unknown>[])
    const busy = analyzeBatch(burst.rows, { window: 5000, windowIdleMs: 50 })
    let count = 0
    for await (const row of busy) {
      count++
      expect(row.row).toBe(count)
      if (count === 3) burst.state.release()
    }
    expect(burst.state.releasedBy).toBe('results')
    expect(count).toBe(2103)
    expect(busy.summary().workers).toBeGreaterThanOrEqual(1)
  })

  it('keeps a live stream whose windows fill by their row count on this thread too', async () => {
    async function* slow() {
      for (let i = 1; i <= 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10))
        yield { id: `c${i}`, text: `Buon prodotto ${i}` }
      }
    }
    const live = analyzeBatch(slow(), { window: 3, windowIdleMs: 5000 })
    expect((await collect(live)).map((r) => r.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6'])
    expect(live.summary().windows).toBe(2)
    expect(live.summary().workers).toBe(0)
    // Asked for: threads.
    const asked = analyzeBatch(slow(), { window: 3, windowIdleMs: 5000, workers: 2 })
    await collect(asked)
    expect(asked.summary().workers).toBe(2)
  })

  it('reads a file to its end as windows of rows alone, however slowly its bytes come', async () => {
    const text = jsonl(syntheticRows(1500, 17))
    for (const path of [tempFile('quiet-never.jsonl', text), tempFile('quiet-never.jsonl.gz', gzipSync(text))]) {
      const reference = await outputOf(path, { workers: 2, window: 400 })
      // 1 ms of quiet would split windows at every pause in reading or inflating, were a file ever quiet.
      expect(await outputOf(path, { workers: 2, window: 400, windowIdleMs: 1 }), path).toBe(reference)
      expect(await outputOf(path, { workers: 1, chunkSize: 7, window: 400, windowIdleMs: 1 }), path).toBe(reference)
    }
  })

  it('counts only finished rows as activity: keep-alive blank lines and a row sent byte by byte do not hold a window back', async () => {
    for (const trickle of ['blank lines', 'one byte at a time'] as const) {
      const pipe = new PassThrough()
      pipe.write('{"id":"k1","text":"Buono"}\n{"id":"k2","text":"Cattivo"}\n')
      const third = Buffer.from('{"id":"k3","text":"Bello, arrivato presto e ben imballato"}\n')
      let sent = 0
      // Something comes every 20 ms, but no row is finished until the first window is out.
      const drip = setInterval(() => {
        if (trickle === 'blank lines') pipe.write('\n')
        else if (sent < third.length - 1) pipe.write(third.subarray(sent, ++sent))
      }, 20)
      const finish = () => {
        clearInterval(drip)
        pipe.end(trickle === 'blank lines' ? third : third.subarray(sent))
      }
      const timer = setTimeout(finish, 5000)
      const resolved = resolveOptions({ window: 1000, windowIdleMs: 150 })
      const engine = new Engine(await openStreamSource(pipe, { chunkSize: 256, window: 1000, windowIdleMs: 150, maxRowBytes: 1 << 20 }), resolved)
      const ids: string[][] = []
      for await (const batch of engine.batches()) {
        ids.push(batch.lines().map((l) => (JSON.parse(l) as ResultRow).id ?? ''))
        if (ids.length === 1) {
          clearTimeout(timer)
          finish()
        }
      }
      expect(ids, trickle).toEqual([['k1', 'k2'], ['k3']])
    }
  })

  it('waits for the promised rows of a sync iterable as for a read, and ends a window meanwhile', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const timer = setTimeout(() => release(), 5000)
    function* rows(): Generator<unknown> {
      yield { id: 'p1', text: 'Ottimo' }
      yield Promise.resolve({ id: 'p2', text: 'Buono' })
      yield gate.then(() => ({ id: 'p3', text: 'Pessimo' }))
    }
    const run = analyzeBatch(rows(), { workers: 1, window: 1000, windowIdleMs: 50 })
    const seen: string[] = []
    let early = false
    for await (const row of run) {
      seen.push(row.id ?? '')
      if (seen.length === 2) {
        early = true
        clearTimeout(timer)
        release()
      }
    }
    expect(early).toBe(true)
    expect(seen).toEqual(['p1', 'p2', 'p3'])
    expect(run.summary().windows).toBe(2)
  })

  it('refuses windowIdleMs without window, naming both', () => {
    expect(() => analyzeBatch([], { windowIdleMs: 1000 })).toThrow(/^Invalid options: option "windowIdleMs": needs option "window"/)
    expect(() => analyzeBatch([], { window: 10, windowIdleMs: 0 })).toThrow(/windowIdleMs/)
  })
})

describe('analyzeBatch over a live Readable of objects', () => {
  /** A Readable that gets `rows` and then stays open and quiet, as a socket or a tailing cursor does. */
  function live(rows: Record<string, unknown>[]): Readable {
    const readable = new Readable({ objectMode: true, read() {} })
    for (const row of rows) readable.push(row)
    return readable
  }
  const rows = Array.from({ length: 12 }, (_, i) => ({ id: `l${i + 1}`, text: i % 2 === 0 ? 'Ottimo prodotto, arrivato presto.' : 'Llegó roto, un desastre.' }))

  async function destroyedSoon(readable: Readable): Promise<boolean> {
    for (let i = 0; i < 20 && !readable.destroyed; i++) await new Promise((r) => setTimeout(r, 10))
    return readable.destroyed
  }

  it('destroys the stream when a loop over its windows ends early', async () => {
    const readable = live(rows)
    const run = analyzeBatch(readable, { workers: 0, window: 10 })
    const seen: string[] = []
    for await (const row of run) {
      seen.push(row.id ?? '')
      if (seen.length === 3) break
    }
    expect(seen).toEqual(['l1', 'l2', 'l3'])
    expect(await destroyedSoon(readable)).toBe(true)
  })

  it('destroys the stream when the signal stops a run waiting for its next row', async () => {
    const readable = live(rows.slice(0, 3))
    const controller = new AbortController()
    const run = analyzeBatch(readable, { workers: 0, window: 10, windowIdleMs: 50, signal: controller.signal })
    setTimeout(() => controller.abort(), 200)
    const seen: string[] = []
    for await (const row of run) seen.push(row.id ?? '')
    expect(seen).toEqual(['l1', 'l2', 'l3'])
    expect(run.summary().aborted).toBe(true)
    expect(await destroyedSoon(readable)).toBe(true)
  })
})
